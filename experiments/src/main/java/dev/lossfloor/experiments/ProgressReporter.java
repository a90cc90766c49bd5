package dev.lossfloor.experiments;

import dev.lossfloor.trainer.EpochMetrics;
import dev.lossfloor.trainer.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * One table line per evaluation on stdout (step 0, between epoch ends, epoch ends). Between them: a progress bar with
 * ETA, the current loss and the last held-out value (with its distance to the floor where known) when stderr is a
 * terminal, otherwise a plain progress line on stderr every 30 seconds (CI logs and files stay readable).
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
    /** The latest evaluation, for the progress line. */
    private EpochMetrics lastEval;

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
        return String.format("%6s %7s %9s %9s %9s %9s %9s", "epoch", "step", "train_nll", "val_nll", "val_ppl", "val_bpc", "val_bpb")
                + (knownFloor ? String.format(" %9s %9s %9s", "floor_bpc", "true_bpc", "gap_bpc") : "")
                + String.format(" %6s %8s", "scored", "time");
    }

    static String line(EpochMetrics m) {
        String s = String.format(java.util.Locale.ROOT, "%6.2f %7d %9s %9.4f %9.3f %9.4f %9.4f", m.epochProgress(), m.step(),
                m.trainNll() == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", m.trainNll()),
                m.val().natsPerToken(), m.val().perplexity(), m.val().bitsPerChar(), m.val().bitsPerByte());
        if (m.floorBpc() != null) s += String.format(java.util.Locale.ROOT, " %9.4f %9.4f %9.4f", m.floorBpc(), m.trueBpc(), m.gapBpc());
        return s + String.format(java.util.Locale.ROOT, " %5.0f%% %7.0fs", 100 * m.splitFraction(), m.elapsedSeconds());
    }

    /** The last held-out value and, where the floor is known, its distance to it: the progress line's tail. */
    static String lastHeldOut(EpochMetrics m) {
        if (m == null) return "";
        return String.format(java.util.Locale.ROOT, ", val %.4f bpc", m.val().bitsPerChar())
                + (m.floorBpc() == null ? "" : String.format(java.util.Locale.ROOT, " (%.4f above the floor)",
                m.val().bitsPerChar() - m.floorBpc()));
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
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " epoch %d, loss %.4f", epoch, loss) + lastHeldOut(lastEval));
        } else if (System.nanoTime() - lastPlain > PLAIN_INTERVAL_NANOS) {
            lastPlain = System.nanoTime();
            System.err.printf(java.util.Locale.ROOT, "  step %d/%d, epoch %d, loss %.4f%s, %.0fs%n", step, totalSteps, epoch, loss,
                    lastHeldOut(lastEval), (lastPlain - start) / 1e9);
        }
    }

    @Override
    public void onEvaluation(EpochMetrics metrics) {
        lastEval = metrics;
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
