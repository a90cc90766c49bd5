package dev.lossfloor.data.corpora;

/**
 * Hears how far a long step (a download, extracting an archive entry, hashing a present file) has come, so a
 * caller can draw a progress bar. Steps never overlap: each {@link #started} is followed by any number of
 * {@link #progressed} calls and then exactly one {@link #finished}, which is called on failure too.
 * All methods run on the thread that called {@link CorpusStore#resolve}.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener SILENT = new ProgressListener() {
    };

    /**
     * A step begins, e.g. "downloading http://mattmahoney.net/dc/enwik8.zip".
     *
     * @param totalBytes the bytes the step will process, or -1 when unknown
     */
    default void started(String task, long totalBytes) {
    }

    /** {@code bytesDone} bytes of the current step are done (a running total, never decreasing). */
    default void progressed(long bytesDone) {
    }

    /** The current step ended, successfully or not. */
    default void finished() {
    }
}
