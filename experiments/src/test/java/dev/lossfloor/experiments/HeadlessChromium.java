package dev.lossfloor.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a real headless Chromium for the page tests: {@code --dump-dom} prints the DOM after the page has loaded and
 * its scripts have run. A probe script appended to a copy of the page does what a user would (dispatching
 * mouseover on a token) and leaves its findings, base64-encoded JSON, in a {@code <pre>} for the test to read.
 * A page that keeps changing while it is open (the live view) is opened with {@link #open} instead, in a browser
 * that keeps running, and read through the DevTools protocol.
 *
 * <p>Chromium is found as {@code $LOSSFLOOR_CHROMIUM}, or chromium / chromium-browser / google-chrome on the PATH.
 * Where there is none, the test is skipped with that reason; with {@code CI} set (where .ci/run installs Debian's
 * chromium) a missing browser fails the test instead.
 */
public final class HeadlessChromium {
    private static final Pattern PROBE = Pattern.compile("<pre id=\"lossfloor-probe\">([A-Za-z0-9+/=]*)</pre>");
    private static final long TIMEOUT_S = 90;

    private final Path executable;
    private final Path work;

    private HeadlessChromium(Path executable, Path work) {
        this.executable = executable;
        this.work = work;
    }

    /** The browser, or the test skipped (locally) / failed (in CI) with the reason. {@code work} holds its profile. */
    public static HeadlessChromium require(Path work) {
        Path exe = find();
        if (exe == null) {
            String why = "no chromium found (tried $LOSSFLOOR_CHROMIUM, chromium, chromium-browser, google-chrome on the PATH); "
                    + "install it with apt-get install chromium";
            if (System.getenv("CI") != null) Assertions.fail(why + "; CI must run the browser tests (.ci/run installs chromium)");
            Assumptions.abort(why + "; the browser tests run in CI, where .ci/run installs it");
        }
        return new HeadlessChromium(exe, work);
    }

    static Path find() {
        String env = System.getenv("LOSSFLOOR_CHROMIUM");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) return Path.of(env);
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String name : new String[]{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"})
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
            }
        return null;
    }

    /**
     * Loads a copy of {@code page} with {@code probeScript} appended (after the page's own scripts), at the URL
     * fragment {@code fragment} (may be empty), and returns what the probe stored with {@code report(object)}.
     */
    public JsonNode probe(Path page, String fragment, String probeScript) throws IOException, InterruptedException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int end = html.lastIndexOf("</body>");
        Assertions.assertTrue(end > 0, "the page has no </body>");
        String script = "<script>\n(function () {\n"
                + "function report(o) { const pre = document.createElement('pre'); pre.id = 'lossfloor-probe';\n"
                + "  pre.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(o)))); document.body.appendChild(pre); }\n"
                + "try {\n" + probeScript + "\n} catch (e) { report({error: String(e && e.stack || e)}); }\n})();\n</script>\n";
        Path copy = page.resolveSibling("probe-" + page.getFileName());
        Files.writeString(copy, html.substring(0, end) + script + html.substring(end), StandardCharsets.UTF_8);
        String dom = dumpDom(copy, fragment);
        Matcher m = PROBE.matcher(dom);
        Assertions.assertTrue(m.find(), "the probe left no result; the page's scripts may have failed. DOM tail: "
                + dom.substring(Math.max(0, dom.length() - 2000)));
        JsonNode result = new ObjectMapper().readTree(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        Assertions.assertFalse(result.has("error"), () -> "the probe failed in the browser: " + result.get("error").asText());
        return result;
    }

    /** The DOM after load, as Chromium serialises it. */
    public String dumpDom(Path page, String fragment) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", page.toUri() + (fragment == null ? "" : fragment)));
    }

    /**
     * Opens {@code url} in a browser that stays running, for pages that change while they are open: the page lives in
     * real time, its open connections (server-sent events) included, and {@link OpenPage#evaluate} reads it through
     * the DevTools protocol. ({@code --virtual-time-budget} never ends while a page holds a connection open.)
     */
    public OpenPage open(java.net.URI url) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(work.resolve("chromium-live-profile"));
        Path portFile = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(portFile);
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile,
                "--window-size=1200,900", "--remote-debugging-port=0", "about:blank"));
        Path err = Files.createTempFile(work, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            List<String> lines = List.of();
            while (lines.size() < 2) {
                if (!p.isAlive()) Assertions.fail("chromium exited with " + p.exitValue() + ": " + tail(Files.readString(err)));
                if (System.nanoTime() > deadline) Assertions.fail("chromium opened no DevTools port within " + TIMEOUT_S + " s");
                Thread.sleep(100);
                if (Files.exists(portFile)) lines = Files.readAllLines(portFile);
            }
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String targets = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + lines.get(0).strip() + "/json/list")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (JsonNode t : new ObjectMapper().readTree(targets))
                if ("page".equals(t.path("type").asText())) ws = t.path("webSocketDebuggerUrl").asText();
            Assertions.assertNotNull(ws, "chromium lists no page: " + targets);
            OpenPage page = new OpenPage(p, http, java.net.URI.create(ws));
            page.call("Page.navigate", java.util.Map.of("url", url.toString()));
            return page;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    /** A page open in a running headless Chromium; closing it ends the browser. */
    public static final class OpenPage implements AutoCloseable {
        private final Process process;
        private final java.net.http.WebSocket socket;
        private final ObjectMapper json = new ObjectMapper();
        private final java.util.Map<Integer, java.util.concurrent.CompletableFuture<JsonNode>> pending =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

        private OpenPage(Process process, java.net.http.HttpClient http, java.net.URI ws) {
            this.process = process;
            this.socket = http.newWebSocketBuilder().buildAsync(ws, new java.net.http.WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket s, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        try {
                            JsonNode m = json.readTree(message.toString());
                            var f = m.has("id") ? pending.remove(m.get("id").asInt()) : null;
                            if (f != null) f.complete(m);
                        } catch (IOException e) {
                            pending.values().forEach(f -> f.completeExceptionally(e));
                        }
                        message.setLength(0);
                    }
                    s.request(1);
                    return null;
                }
            }).join();
        }

        private JsonNode call(String method, java.util.Map<String, Object> params) throws IOException, InterruptedException {
            int id = ids.incrementAndGet();
            var answer = new java.util.concurrent.CompletableFuture<JsonNode>();
            pending.put(id, answer);
            socket.sendText(json.writeValueAsString(java.util.Map.of("id", id, "method", method, "params", params)), true).join();
            try {
                JsonNode m = answer.get(TIMEOUT_S, TimeUnit.SECONDS);
                Assertions.assertFalse(m.has("error"), () -> method + " failed: " + m.get("error"));
                return m.get("result");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException(method + " got no answer from chromium: " + e, e);
            }
        }

        /** The value of a JavaScript expression in the page, as a string ("null" for null or undefined). */
        public String evaluate(String expression) throws IOException, InterruptedException {
            JsonNode r = call("Runtime.evaluate", java.util.Map.of("expression", "String(" + expression + ")", "returnByValue", true));
            Assertions.assertFalse(r.has("exceptionDetails"), () -> expression + " threw " + r.get("exceptionDetails"));
            return r.path("result").path("value").asText();
        }

        /** A PNG of what the page shows now. */
        public byte[] screenshot() throws IOException, InterruptedException {
            return Base64.getDecoder().decode(call("Page.captureScreenshot", java.util.Map.of("format", "png")).path("data").asText());
        }

        /** Waits until {@code expression} evaluates to {@code expected}; fails with its last value after the timeout. */
        public void waitFor(String expression, String expected, java.time.Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            String value;
            while (!expected.equals(value = evaluate(expression))) {
                if (System.nanoTime() > deadline)
                    Assertions.fail(expression + " is " + value + ", not " + expected + ", after " + timeout.toMillis() + " ms");
                Thread.sleep(50);
            }
        }

        @Override
        public void close() {
            socket.abort();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** A PNG of the page at the given viewport size (for looking at by eye; tests only check that it is written). */
    public void screenshot(Path page, String fragment, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(),
                page.toUri() + (fragment == null ? "" : fragment)));
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(work.resolve("chromium-profile"));
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = Files.createTempFile(work, "chromium", ".out"), err = Files.createTempFile(work, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS))
                Assertions.fail("chromium did not finish within " + TIMEOUT_S + " s: " + String.join(" ", cmd));
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0)
                Assertions.fail("chromium exited with " + p.exitValue() + ": " + tail(Files.readString(err, StandardCharsets.UTF_8)));
            return stdout;
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String tail(String s) {
        return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
    }
}
