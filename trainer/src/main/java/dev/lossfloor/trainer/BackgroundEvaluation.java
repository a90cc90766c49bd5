package dev.lossfloor.trainer;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores the held-out points between epoch ends on a second core while training goes on: each evaluation runs on a
 * copy of the parameters taken between two steps, in a model of its own (the same fast passes and batch capacity, so
 * the score is the one the training thread would have computed). One evaluation at a time; the training thread
 * collects each result and writes its row itself.
 */
final class BackgroundEvaluation implements AutoCloseable {
    private final GptModel copy;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lossfloor-held-out");
        t.setDaemon(true);
        return t;
    });
    private Future<HeldOutScore> pending;

    BackgroundEvaluation(GptModel model, int capacity) {
        this.copy = GptModel.create(model.config(), model.dataType(), 0);
        copy.setFastPathCapacity(capacity);
    }

    /** Whether evaluations can run beside training here: the fast passes, and a core the training does not use. */
    static boolean worthwhile(GptModel model, int trainingThreads) {
        return FastGpt.supports(model) && Runtime.getRuntime().availableProcessors() > trainingThreads;
    }

    /** Copies the current parameters and starts scoring them; the previous evaluation must have been collected. */
    void start(GptModel model, HeldOutEvaluator scorer) {
        if (pending != null) throw new IllegalStateException("the previous evaluation was not collected");
        List<GptModel.Parameter> from = model.parameters(), to = copy.parameters();
        for (int i = 0; i < from.size(); i++) to.get(i).array().assign(from.get(i).array());
        pending = thread.submit(() -> scorer.score(copy));
    }

    boolean running() { return pending != null; }

    boolean done() { return pending != null && pending.isDone(); }

    /** Waits for the running evaluation and returns its score. */
    HeldOutScore collect() {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a held-out evaluation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            pending = null;
        }
    }

    @Override
    public void close() { thread.shutdownNow(); }
}
