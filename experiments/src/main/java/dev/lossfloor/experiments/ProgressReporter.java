package dev.lossfloor.experiments;

import dev.lossfloor.trainer.EpochMetrics;
import dev.lossfloor.trainer.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * One table line per epoch on stdout. While an epoch runs: a progress bar with ETA and the current loss when stderr
 * is a terminal, otherwise a plain progress line on stderr every 30 seconds (CI logs and files stay readable).
 */
final class ProgressReporter implements Trainer.Listener {
    private static final long PLAIN_INTERVAL_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final boolean knownFloor;
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;
    private int totalSteps;
    private long lastPlain = System.nanoTime();
    private final long start = System.nanoTime();

    /** Whether held-out text was replaced by &lt;unk&gt;: then val_bpc and val_bpb are marked not comparable (*). */
    private final boolean notComparable;

    ProgressReporter(PrintStream out, boolean knownFloor) {
        this(out, knownFloor, false);
    }

    ProgressReporter(PrintStream out, boolean knownFloor, boolean notComparable) {
        this.out = out;
        this.knownFloor = knownFloor;
        this.notComparable = notComparable;
    }

    static String header(boolean knownFloor) {
        return String.format("%5s %7s %9s %9s %9s %9s %9s", "epoch", "step", "train_nll", "val_nll", "val_ppl", "val_bpc", "val_bpb")
                + (knownFloor ? String.format(" %9s %9s %9s", "floor_bpc", "true_bpc", "gap_bpc") : "")
                + String.format(" %8s", "time");
    }

    static String line(EpochMetrics m) {
        String s = String.format("%5d %7d %9.4f %9.4f %9.3f %9.4f %9.4f", m.epoch(), m.step(), m.trainNll(),
                m.val().natsPerToken(), m.val().perplexity(), m.val().bitsPerChar(), m.val().bitsPerByte());
        if (m.floorBpc() != null) s += String.format(" %9.4f %9.4f %9.4f", m.floorBpc(), m.trueBpc(), m.gapBpc());
        return s + String.format(" %7.0fs", m.elapsedSeconds());
    }

    @Override
    public void onStart(int totalSteps, int stepsPerEpoch) {
        this.totalSteps = totalSteps;
        out.println(header(knownFloor));
        if (terminal)
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
                    .showSpeed().build();
    }

    @Override
    public void onStep(long step, int epoch, double loss, double lr) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(" epoch %d, loss %.4f", epoch, loss));
        } else if (System.nanoTime() - lastPlain > PLAIN_INTERVAL_NANOS) {
            lastPlain = System.nanoTime();
            System.err.printf("  step %d/%d, epoch %d, loss %.4f, %.0fs%n", step, totalSteps, epoch, loss,
                    (lastPlain - start) / 1e9);
        }
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        if (bar != null) {
            // keep the table clean: the bar is redrawn after the line
            System.err.print("\r\033[K");
        }
        out.println(line(metrics) + (notComparable ? "  * val_bpc/val_bpb not comparable (<unk>)" : ""));
    }

    void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
