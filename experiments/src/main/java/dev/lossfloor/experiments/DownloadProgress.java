package dev.lossfloor.experiments;

import dev.lossfloor.data.corpora.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows corpus downloads and checksum passes: a progress bar on a terminal, plain lines on stderr otherwise. */
final class DownloadProgress implements ProgressListener {
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;
    private String task;
    private long total, lastReportedMb = -1;

    @Override
    public void started(String task, long totalBytes) {
        this.task = task;
        this.total = totalBytes;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(shorten(task)).setInitialMax(Math.max(totalBytes, 0))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1_000_000).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        } else {
            System.err.println("  " + task + (totalBytes > 0 ? String.format(" (%,d bytes)", totalBytes) : ""));
        }
    }

    @Override
    public void progressed(long bytesDone) {
        if (bar != null) {
            bar.stepTo(bytesDone);
        } else if (total > 0) {
            long mb = bytesDone / 10_000_000;
            if (mb != lastReportedMb) {
                lastReportedMb = mb;
                System.err.printf("  %s: %.0f%%%n", shorten(task), 100.0 * bytesDone / total);
            }
        }
    }

    @Override
    public void finished() {
        if (bar != null) bar.close();
        bar = null;
        lastReportedMb = -1;
    }

    private static String shorten(String task) {
        return task.length() > 40 ? task.substring(0, 37) + "..." : task;
    }
}
