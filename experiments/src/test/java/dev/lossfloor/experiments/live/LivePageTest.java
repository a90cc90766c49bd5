package dev.lossfloor.experiments.live;

import dev.lossfloor.experiments.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.lossfloor.experiments.live.LiveServerTest.append;
import static dev.lossfloor.experiments.live.LiveServerTest.row;
import static dev.lossfloor.experiments.live.LiveServerTest.writeConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page in a real headless Chromium, served by a real LiveServer: what it draws from known rows, and that
 * one open page takes in rows written after it loaded, through the event stream or, without one, by polling.
 */
class LivePageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String COUNT = "document.getElementById('count') && document.getElementById('count').textContent";
    private static final String POINTS = "document.querySelectorAll('svg circle[class=\"point val\"]').length";

    @TempDir
    Path dir;

    @Test
    void thePageDrawsEveryEvaluationTheFloorsAndTheStatusAndTakesInNewRows() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path run = Files.createDirectories(dir.resolve("run"));
        writeConfig(run, 1.284, "[1.976, 1.7205, 1.284]", 1);
        Path metrics = run.resolve("metrics.jsonl");
        for (int i = 0; i < 3; i++) append(metrics, row(i * 100, 2.0 - 0.2 * i) + "\n");
        try (LiveServer server = LiveServer.start(run, 0); HeadlessChromium.OpenPage page = chromium.open(server.url())) {
            page.waitFor(COUNT, "3", WAIT);
            assertEquals("3", page.evaluate(POINTS));
            assertEquals("2", page.evaluate("document.querySelectorAll('circle.point.val[fill=\"#fff\"]').length"),
                    "the two evaluations on a subset of the held-out split are hollow");
            assertEquals("1", page.evaluate("document.querySelectorAll('line.floor').length"));
            assertEquals("1", page.evaluate("document.querySelectorAll('line.context-floor').length"), "context 1 < last index 2");
            assertEquals("1", page.evaluate("document.querySelectorAll('polyline.line.train').length"), "train_nll from step 100 on");
            String svg = page.evaluate("document.getElementById('chart').textContent");
            assertTrue(svg.contains("floor H = 1.2840 bits/char") && svg.contains("H_1 = 1.7205: the floor with 1 symbol of context")
                    && svg.contains("training step") && svg.contains("bits per character"), svg);
            assertEquals("lossfloor watch: markov source", page.evaluate("document.getElementById('title').textContent"));
            assertEquals("step 200 of 705 \u00b7 epoch 0.67 \u00b7 val_bpc 1.6000 \u00b7 gap to floor 0.3160 \u00b7 3 evaluations",
                    page.evaluate("document.getElementById('status').textContent"));
            assertEquals("", page.evaluate("document.getElementById('conn').textContent"));

            append(metrics, row(300, 1.5) + "\n" + row(400, 1.45) + "\n");
            page.waitFor(COUNT, "5", WAIT);
            assertEquals("5", page.evaluate(POINTS));
            assertTrue(page.evaluate("document.getElementById('status').textContent").startsWith("step 400 of 705 \u00b7 epoch 1.33"));
            if (System.getenv("LOSSFLOOR_LIVE_SCREENSHOT") != null)
                Files.write(Path.of(System.getenv("LOSSFLOOR_LIVE_SCREENSHOT")), page.screenshot());
        }
    }

    /** With every event stream taken the page's own stream is refused, and polling alone keeps it current. */
    @Test
    void withoutAnEventStreamThePagePolls() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("config.json"), "{\"data\": {\"name\": \"<img src=x onerror=alert(1)> & co\"}}",
                StandardCharsets.UTF_8);
        Path metrics = run.resolve("metrics.jsonl");
        HttpClient http = HttpClient.newHttpClient();
        List<HttpResponse<Stream<String>>> streams = new ArrayList<>();
        try (LiveServer server = LiveServer.start(run, 0)) {
            for (int i = 0; i < LiveServer.MAX_EVENT_STREAMS; i++)
                streams.add(http.send(HttpRequest.newBuilder(server.url().resolve("/events")).build(), HttpResponse.BodyHandlers.ofLines()));
            try (HeadlessChromium.OpenPage page = chromium.open(server.url())) {
                page.waitFor(COUNT, "0", WAIT);
                assertEquals("waiting for the first evaluation \u00b7 0 evaluations", page.evaluate("document.getElementById('status').textContent"));
                // the title comes from /run, fetched beside /metrics: wait for it
                page.waitFor("document.getElementById('title').textContent", "lossfloor watch: <img src=x onerror=alert(1)> & co", WAIT);
                assertEquals("0", page.evaluate("document.querySelectorAll('img').length"), "data is shown as text, never as HTML");
                append(metrics, row(0, 2.0, false) + "\n");
                page.waitFor(COUNT, "1", WAIT);
                append(metrics, row(100, 1.9, false) + "\n" + row(200, 1.8, false) + "\n");
                page.waitFor(COUNT, "3", WAIT);
                assertEquals("3", page.evaluate(POINTS));
                assertEquals("0", page.evaluate("document.querySelectorAll('line.floor').length"), "no floor on real text");
            }
        } finally {
            streams.forEach(s -> s.body().close());
        }
    }
}
