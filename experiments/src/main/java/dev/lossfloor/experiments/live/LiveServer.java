package dev.lossfloor.experiments.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lossfloor.experiments.report.LearningCurvePlot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one run directory to a browser while the run trains (or after): a page that draws the learning curve,
 * the evaluations so far as JSON, and server-sent events that tell the page when metrics.jsonl has grown.
 *
 * <p>It listens on 127.0.0.1 only: the page is for the person at this machine, and nothing else on the network
 * should read a run's files through it. Request paths are matched against four fixed names and never resolved to
 * files, so no request reaches anything on disk but the run's config.json and metrics.jsonl.
 *
 * <p>Every thread it starts is a daemon thread, so a JVM whose work is done exits without closing the server first.
 */
public final class LiveServer implements AutoCloseable {
    /** Event streams served at once; each holds one of the server's threads for as long as the page stays open. */
    static final int MAX_EVENT_STREAMS = 8;
    /** How often metrics.jsonl's size is looked at: often enough that a new row shows within a blink. */
    static final long POLL_MS = 250;
    /** An event stream with nothing to say sends a comment this often, so a closed page frees its thread. */
    static final long KEEP_ALIVE_MS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE_RESOURCE = "live.html";
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final Path runDir;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService poller;
    private final Semaphore streams = new Semaphore(MAX_EVENT_STREAMS);
    private final byte[] page;
    private final URI url;
    private final Object sizeChanged = new Object();
    private long metricsSize = -1; // guarded by sizeChanged; -1 while there is no metrics.jsonl
    private boolean closed;        // guarded by sizeChanged

    private LiveServer(Path runDir, HttpServer server, byte[] page) {
        this.runDir = runDir;
        this.server = server;
        this.page = page;
        int id = SERVERS.incrementAndGet();
        this.handlers = Executors.newFixedThreadPool(MAX_EVENT_STREAMS + 4, daemon("lossfloor-watch-" + id + "-http"));
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("lossfloor-watch-" + id + "-poll"));
        this.url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        metricsSize = sizeOf(metricsFile());
    }

    /**
     * Starts serving {@code runDir} on 127.0.0.1:{@code port}; port 0 lets the system choose a free one (see
     * {@link #url()}). A missing config.json or metrics.jsonl is served as empty: a run that has just started has none.
     */
    public static LiveServer start(Path runDir, int port) {
        return start(runDir, port, "--port");
    }

    /** The same, naming the option that gave the port ({@code option}) in the one-line errors. */
    public static LiveServer start(Path runDir, int port, String option) {
        checkRange(port, option);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(loopback(), port), 0);
        } catch (BindException e) {
            throw taken(port, option);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        LiveServer live = new LiveServer(runDir, server, readPage());
        server.createContext("/", live::handle);
        server.setExecutor(live.handlers);
        live.poller.scheduleWithFixedDelay(live::pollMetrics, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        // HttpServer's dispatcher thread takes its daemon flag from the thread that starts it
        Thread starter = new Thread(server::start, "lossfloor-watch-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live.close();
            throw new IllegalStateException("interrupted while starting the server", e);
        }
        return live;
    }

    /**
     * Fails with the one-line error now where {@code port} is out of range or taken, so that a command can say so
     * before it does any work; the port is bound for good later, by {@link #start}.
     */
    public static void checkAvailable(int port, String option) {
        checkRange(port, option);
        if (port == 0) return;
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new InetSocketAddress(loopback(), port));
        } catch (BindException e) {
            throw taken(port, option);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void checkRange(int port, String option) {
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException(option + " " + port + " is out of range; give 0 (a free port) or 1 to 65535");
    }

    private static IllegalArgumentException taken(int port, String option) {
        return new IllegalArgumentException("port " + port + " on 127.0.0.1 is taken (by another lossfloor watch or program); "
                + "pass " + option + " 0 for a free one or another port");
    }

    /** The page's address, http://127.0.0.1:PORT/. */
    public URI url() {
        return url;
    }

    /** Stops listening and ends the event streams; open pages keep what they show and retry the connection. */
    @Override
    public void close() {
        synchronized (sizeChanged) {
            closed = true;
            sizeChanged.notifyAll();
        }
        poller.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------- requests

    private void handle(HttpExchange ex) {
        try {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                send(ex, 405, "text/plain; charset=utf-8", "only GET is served\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (ex.getRequestURI().getRawPath()) {
                case "/" -> send(ex, 200, "text/html; charset=utf-8", page);
                case "/metrics" -> send(ex, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(metrics()));
                case "/run" -> send(ex, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(runSummary()));
                case "/events" -> events(ex);
                default -> send(ex, 404, "text/plain; charset=utf-8",
                        "not found; this server serves /, /metrics, /run and /events\n".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the browser went away mid-answer: nothing to tell it
        } catch (RuntimeException e) {
            try {
                send(ex, 500, "text/plain; charset=utf-8", (String.valueOf(e.getMessage()) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // the headers were already sent: the connection just closes
            }
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * The evaluations so far, read afresh. A line that does not parse is left out rather than failing the page:
     * the last one may be half written while the trainer appends it (./lossfloor plot reports broken lines).
     */
    ArrayNode metrics() {
        ArrayNode rows = JSON.createArrayNode();
        String text;
        try {
            text = Files.readString(metricsFile(), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsFile() + ": " + e.getMessage(), e);
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            try {
                JsonNode row = JSON.readTree(line);
                if (row != null && row.isObject()) rows.add(row);
            } catch (IOException e) {
                // a torn line: the next read has it whole
            }
        }
        return rows;
    }

    /** What the page needs from config.json; every value null when there is none (yet) or it does not parse. */
    ObjectNode runSummary() {
        JsonNode config = null;
        Path file = runDir.resolve("config.json");
        try {
            if (Files.isRegularFile(file)) config = JSON.readTree(file.toFile());
        } catch (IOException e) {
            config = null;
        }
        ObjectNode run = JSON.createObjectNode();
        run.put("name", LearningCurvePlot.dataName(config, runDir));
        if (config == null || !config.isObject()) config = JSON.createObjectNode();
        run.set("tokenizer", valueOrNull(config.path("tokenizer"), JsonNode::isTextual));
        run.set("context", valueOrNull(config.path("model").path("context"), JsonNode::isIntegralNumber));
        run.set("context_floors_bpc", valueOrNull(config.path("context_floors_bpc"), JsonNode::isArray));
        run.set("floor_bpc", valueOrNull(config.path("floor_bpc"), JsonNode::isNumber));
        run.set("total_steps", valueOrNull(config.path("training").path("total_steps"), JsonNode::isIntegralNumber));
        return run;
    }

    private static JsonNode valueOrNull(JsonNode v, java.util.function.Predicate<JsonNode> ok) {
        return ok.test(v) ? v : JSON.nullNode();
    }

    /**
     * Server-sent events: one message (data = metrics.jsonl's size in bytes) at once and whenever the size changes.
     * The page refetches /metrics on each; it also polls, so a page whose stream was refused still updates.
     */
    private void events(HttpExchange ex) throws IOException {
        if (!streams.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "5");
            send(ex, 503, "text/plain; charset=utf-8", ("at most " + MAX_EVENT_STREAMS
                    + " pages get live events at once; this one polls /metrics instead\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            long sent = Long.MIN_VALUE;
            while (true) {
                long size;
                synchronized (sizeChanged) {
                    long deadline = System.currentTimeMillis() + KEEP_ALIVE_MS;
                    while (!closed && metricsSize == sent) {
                        long wait = deadline - System.currentTimeMillis();
                        if (wait <= 0) break;
                        sizeChanged.wait(wait);
                    }
                    if (closed) return;
                    size = metricsSize;
                }
                String event = size == sent ? ": still here\n\n" : "data: " + size + "\n\n";
                sent = size;
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    // ---------------------------------------------------------------------------------------------- the file

    private Path metricsFile() {
        return runDir.resolve("metrics.jsonl");
    }

    private void pollMetrics() {
        long size = sizeOf(metricsFile());
        synchronized (sizeChanged) {
            if (size != metricsSize) {
                metricsSize = size;
                sizeChanged.notifyAll();
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] readPage() {
        try (InputStream in = LiveServer.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) throw new IllegalStateException(PAGE_RESOURCE + " is missing from the jar; rebuild lossfloor");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PAGE_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
