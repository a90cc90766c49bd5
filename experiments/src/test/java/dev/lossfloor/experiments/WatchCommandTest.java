package dev.lossfloor.experiments;

import dev.lossfloor.experiments.live.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.lossfloor.experiments.CliRunner.assertOneLineError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./lossfloor watch: what it serves, and its one-line errors for a wrong directory or a taken port. */
class WatchCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRunDirectoryIsServedOnLoopback() throws Exception {
        Files.writeString(dir.resolve(RunDirectory.METRICS), "");
        try (LiveServer server = WatchCommand.serve(dir, 0)) {
            assertEquals("127.0.0.1", server.url().getHost());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("[]", r.body());
        }
    }

    @Test
    void badDirectoriesAndTakenPortsAreOneLine() throws Exception {
        Path missing = dir.resolve("nope");
        assertOneLineError(CliRunner.run("watch", "--run", missing.toString()), "--run " + missing + " is not a directory",
                "./lossfloor train");
        assertOneLineError(CliRunner.run("watch", "--run", dir.toString()), "holds neither config.json nor metrics.jsonl");
        Files.writeString(dir.resolve(RunDirectory.CONFIG), "{}");
        assertOneLineError(CliRunner.run("watch", "--run", dir.toString(), "--port", "-1"), "--port -1 is out of range");
        try (LiveServer taken = WatchCommand.serve(dir, 0)) {
            int port = taken.url().getPort();
            assertOneLineError(CliRunner.run("watch", "--run", dir.toString(), "--port", String.valueOf(port)),
                    "port " + port + " on 127.0.0.1 is taken", "pass --port 0");
        }
        assertTrue(CliRunner.run("--help").out().contains("watch"));
    }
}
