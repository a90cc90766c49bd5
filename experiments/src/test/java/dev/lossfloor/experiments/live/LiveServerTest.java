package dev.lossfloor.experiments.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live server over real HTTP: what each path answers, what it refuses, and where it listens. */
class LiveServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<LiveServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(LiveServer::close);
    }

    private LiveServer start(Path run, int port) {
        LiveServer s = LiveServer.start(run, port);
        servers.add(s);
        return s;
    }

    @Test
    void thePageIsOneSelfContainedHtmlFile() throws Exception {
        LiveServer s = start(dir, 0);
        HttpResponse<String> r = get(s, "/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        String html = r.body();
        assertTrue(html.startsWith("<!doctype html>") && html.contains("<svg id=\"chart\""), html);
        assertFalse(Pattern.compile("(?i)\\b(src|href)\\s*=").matcher(html).find(), "nothing loaded from elsewhere");
        assertFalse(Pattern.compile("(?i)<link\\b|@import|url\\(").matcher(html).find(), "no stylesheet or font fetched");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").matches("(?s).*https?://.*"), "no URL but the SVG namespace");
        assertFalse(html.contains("innerHTML"), "data goes in as text");
    }

    @Test
    void metricsAreReadFreshAndATornLastLineIsLeftOut() throws Exception {
        LiveServer s = start(dir, 0);
        assertEquals(0, metrics(s).size(), "no metrics.jsonl yet: no rows");
        Path file = dir.resolve("metrics.jsonl");
        for (int i = 0; i < 3; i++) append(file, row(i * 100, 2.0 - 0.2 * i) + "\n");
        JsonNode rows = metrics(s);
        assertEquals(3, rows.size());
        assertEquals(200, rows.get(2).get("step").asInt());
        assertTrue(rows.get(0).get("train_nll").isNull());

        String next = row(300, 1.5);
        append(file, next.substring(0, next.length() / 2));
        assertEquals(3, metrics(s).size(), "half a line is not a row yet");
        append(file, next.substring(next.length() / 2) + "\n");
        assertEquals(4, metrics(s).size());
        assertEquals(1.5, metrics(s).get(3).get("val_bpc").asDouble());
    }

    @Test
    void runSummaryComesFromConfig() throws Exception {
        LiveServer s = start(dir, 0);
        JsonNode empty = JSON.readTree(get(s, "/run").body());
        assertEquals(dir.getFileName().toString(), empty.get("name").asText(), "without config.json: the directory's name");
        for (String key : List.of("tokenizer", "context", "context_floors_bpc", "floor_bpc", "total_steps"))
            assertTrue(empty.get(key).isNull(), key);

        writeConfig(dir, 1.284, "[1.976, 1.7205, 1.284]", 2);
        JsonNode run = JSON.readTree(get(s, "/run").body());
        assertEquals("markov source", run.get("name").asText());
        assertEquals("char", run.get("tokenizer").asText());
        assertEquals(2, run.get("context").asInt());
        assertEquals(705, run.get("total_steps").asInt());
        assertEquals(1.284, run.get("floor_bpc").asDouble());
        assertEquals(3, run.get("context_floors_bpc").size());
        assertEquals(1.7205, run.get("context_floors_bpc").get(1).asDouble());
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        LiveServer s = start(dir, 0);
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(s.url().resolve("/metrics"))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET", r.headers().firstValue("Allow").orElse(""), method);
        }
    }

    @Test
    void nothingElseIsServedAndNoPathReachesTheDisk() throws Exception {
        writeConfig(dir, null, null, 64);
        Files.writeString(dir.resolve("secret.txt"), "secret");
        LiveServer s = start(dir, 0);
        for (String path : List.of("/anything", "/config.json", "/metrics.jsonl", "/secret.txt", "/metrics/x", "/live.html"))
            assertEquals(404, get(s, path).statusCode(), path);
        // sent as written: a client library would tidy the dots away before they reach the server
        for (String path : List.of("/../config.json", "/%2e%2e/config.json", "/./secret.txt", "//secret.txt")) {
            String answer = raw(s, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 404") || answer.startsWith("HTTP/1.1 400"), path + ": " + answer);
            assertFalse(answer.contains("secret"), path + ": " + answer);
            assertFalse(answer.contains("lossfloor_version"), path + ": " + answer);
        }
    }

    @Test
    void itListensOnLoopbackOnly() throws Exception {
        LiveServer s = start(dir, 0);
        assertEquals("127.0.0.1", s.url().getHost());
        assertTrue(s.url().getPort() > 0);
        assertEquals("/", s.url().getPath());
        assertEquals(200, get(s, "/").statusCode());
        InetAddress outside = nonLoopbackAddress();
        if (outside != null) {
            try (Socket socket = new Socket()) {
                assertThrows(ConnectException.class, () -> socket.connect(new InetSocketAddress(outside, s.url().getPort()), 2000),
                        "reachable at " + outside);
            }
        }
    }

    @Test
    void aTakenPortIsOneLineSayingWhatToDo() {
        LiveServer first = start(dir, 0);
        int port = first.url().getPort();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(dir, port));
        assertEquals("port " + port + " on 127.0.0.1 is taken (by another lossfloor watch or program); "
                + "pass --port 0 for a free one or another port", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> start(dir, 70000));
    }

    @Test
    void eventsSayWhenMetricsGrowAndStreamsAreCapped() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        append(file, row(0, 2.0) + "\n");
        LiveServer s = start(dir, 0);
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(s.url().resolve("/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElse(""));
        Thread reader = new Thread(() -> stream.body().filter(l -> l.startsWith("data: ")).forEach(data::add));
        reader.setDaemon(true);
        reader.start();
        assertEquals("data: " + Files.size(file), data.poll(5, TimeUnit.SECONDS), "an event at once");
        append(file, row(100, 1.8) + "\n");
        assertEquals("data: " + Files.size(file), data.poll(5, TimeUnit.SECONDS), "an event when the file grows");

        List<HttpResponse<Stream<String>>> more = new ArrayList<>();
        for (int i = 1; i < LiveServer.MAX_EVENT_STREAMS; i++)
            more.add(http.send(HttpRequest.newBuilder(s.url().resolve("/events")).build(), HttpResponse.BodyHandlers.ofLines()));
        more.forEach(r -> assertEquals(200, r.statusCode()));
        HttpResponse<String> refused = get(s, "/events");
        assertEquals(503, refused.statusCode(), "one stream too many");
        assertEquals(200, get(s, "/metrics").statusCode(), "the streams leave threads for the rest");
        s.close();
        reader.join(5000);
        assertFalse(reader.isAlive(), "closing the server ends its event streams");
        more.forEach(r -> r.body().close());
    }

    @Test
    void itsThreadsDoNotKeepTheJvmAlive() throws Exception {
        LiveServer s = start(dir, 0);
        get(s, "/");
        List<String> nonDaemon = Collections.synchronizedList(new ArrayList<>());
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lossfloor-watch") || t.getName().startsWith("HTTP-Dispatcher"))
                .filter(t -> !t.isDaemon()).forEach(t -> nonDaemon.add(t.getName()));
        assertEquals(List.of(), nonDaemon);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private HttpResponse<String> get(LiveServer s, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(s.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode metrics(LiveServer s) throws IOException, InterruptedException {
        HttpResponse<String> r = get(s, "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode rows = JSON.readTree(r.body());
        assertTrue(rows.isArray(), r.body());
        return rows;
    }

    /** The server's whole answer to a request sent byte for byte. */
    private static String raw(LiveServer s, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.url().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder answer = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) answer.append(line).append('\n');
            return answer.toString();
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses()))
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return a;
        }
        return null;
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One metrics line as ./lossfloor train writes it, on a char-level Markov source (floor 1.284 bits/char). */
    static String row(int step, double valBpc) {
        return row(step, valBpc, true);
    }

    /** One metrics line; without {@code floor}, as on real text: floor_bpc, true_bpc and gap_bpc null. */
    static String row(int step, double valBpc, boolean floor) {
        double nll = valBpc * Math.log(2);
        return String.format(Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"tokens_seen\":%d,\"lr\":0.003,\"train_nll\":%s,"
                        + "\"val_nll\":%s,\"val_ppl\":%s,\"val_bits_per_token\":%s,\"val_bpc\":%s,\"val_bpb\":%s,"
                        + "\"val_tokens\":8192,\"val_chars\":8192,\"val_bytes\":8192,\"floor_bpc\":%s,\"true_bpc\":%s,"
                        + "\"gap_bpc\":%s,\"elapsed_s\":%s,\"split_fraction\":%s,\"epoch_progress\":%s,\"epoch_end\":%s}",
                step / 300, step, step * 144, step == 0 ? "null" : Double.toString(nll + 0.05), nll, Math.exp(nll), valBpc, valBpc,
                valBpc, floor ? "1.284" : "null", floor ? "1.29" : "null", floor ? Double.toString(valBpc - 1.29) : "null",
                step * 0.07, step % 300 == 0 ? "1.0" : "0.41", step / 300.0, step % 300 == 0 && step > 0);
    }

    /** A config.json with the keys the page reads; {@code floors} is a JSON array or null for none. */
    static void writeConfig(Path run, Double floor, String floors, int context) throws IOException {
        Files.writeString(run.resolve("config.json"), "{\n  \"lossfloor_version\": \"0.1.0-SNAPSHOT\",\n"
                + "  \"data\": {\"kind\": \"source\", \"source\": \"markov:order=2,alphabet=abcd,concentration=0.5,seed=1\"},\n"
                + "  \"tokenizer\": \"char\",\n  \"model\": {\"layers\": 4, \"context\": " + context + "},\n"
                + "  \"training\": {\"batch\": 12, \"total_steps\": 705},\n  \"floor_bpc\": " + floor
                + (floors == null ? "" : ",\n  \"context_floors_bpc\": " + floors) + "\n}\n", StandardCharsets.UTF_8);
    }
}
