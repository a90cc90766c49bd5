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
     * The DOM of a served page after {@code virtualTimeMs} of the page's own time: timers and fetches run as in a
     * browser, but idle waiting is skipped, so a page that polls every second gets its polls in quickly.
     */
    public String dumpDom(java.net.URI url, int virtualTimeMs) throws IOException, InterruptedException {
        return run(List.of("--virtual-time-budget=" + virtualTimeMs, "--dump-dom", url.toString()));
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
