package dev.lossfloor.data.corpora;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 (an ephemeral port) that serves canned responses and counts requests. */
final class LocalServer implements AutoCloseable {

    private interface Reply {
        void send(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** 200 with the body and its exact Content-Length. */
    void serve(String path, byte[] body) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** 200 announcing {@code declaredLength} bytes, then sends only {@code body} and drops the connection. */
    void serveTruncated(String path, byte[] body, long declaredLength) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, declaredLength);
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            out.flush();
            // Not out.close(): exchange.close() (in handle) with bytes still owed makes the server drop the connection.
        });
    }

    /** 200 announcing {@code declaredLength} bytes, sends {@code body}, then stalls until the server is closed. */
    void serveStalled(String path, byte[] body, long declaredLength) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, declaredLength);
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            out.flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A bodiless status such as 404. */
    void status(String path, int status) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    private void handle(String path, Reply reply) {
        server.createContext(path, exchange -> {
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try {
                exchange.getRequestBody().readAllBytes();
                reply.send(exchange);
            } finally {
                exchange.close();
            }
        });
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
