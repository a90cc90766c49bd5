package dev.lossfloor.experiments;

import dev.lossfloor.experiments.live.LiveServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Serves a run's learning curve to a browser, updating as the run writes it: ./lossfloor watch --run DIR. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch a run's held-out loss fall toward the floor in a browser: serves a page on 127.0.0.1 that",
                "draws the learning curve and redraws it whenever the run writes a new evaluation. Works on a finished",
                "run too. Runs until Ctrl-C."})
final class WatchCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "run directory written by ./lossfloor train (watch it from a second terminal while train runs)")
    Path run;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "port on 127.0.0.1 to serve on (default: 0, a free port chosen by the system)")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        LiveServer server = serve(run, port);
        System.out.println("watch     " + server.url() + " (serving " + run + "; Ctrl-C stops)");
        System.out.flush();
        // the server's threads are daemons: this thread keeps the JVM up until Ctrl-C ends it
        new CountDownLatch(1).await();
        return 0;
    }

    /** Checks that {@code run} is a run directory and starts serving it; the caller closes the server. */
    static LiveServer serve(Path run, int port) {
        if (!Files.isDirectory(run))
            throw new IllegalArgumentException("--run " + run + " is not a directory; give a directory written by ./lossfloor train");
        if (!Files.isRegularFile(run.resolve(RunDirectory.CONFIG)) && !Files.isRegularFile(run.resolve(RunDirectory.METRICS)))
            throw new IllegalArgumentException("--run " + run + " holds neither " + RunDirectory.CONFIG + " nor " + RunDirectory.METRICS
                    + "; give a directory written by ./lossfloor train (it writes config.json as it starts)");
        return LiveServer.start(run, port);
    }
}
