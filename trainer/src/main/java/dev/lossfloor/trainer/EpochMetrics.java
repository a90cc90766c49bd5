package dev.lossfloor.trainer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation, as written to metrics.jsonl: at step 0, between epoch ends (often on a fixed subset of the
 * held-out split) or at an epoch end (always the full split). The keys and their order are a contract: labs and
 * users' scripts read them; keys are added at the end, never renamed. floor_bpc, true_bpc and gap_bpc are null when
 * the data's entropy is unknown.
 *
 * @param epoch         epochs completed (at an epoch end: the epoch just finished)
 * @param trainNll      mean training NLL in nats per token over the steps since the previous evaluation; null
 *                      where there were none (the step-0 evaluation)
 * @param trueBpc       the true model's bits per character on the very characters {@code val} scored
 * @param splitFraction fraction of the held-out split's predicted tokens scored (1.0 for a full pass)
 * @param epochProgress epochs completed as a real number (windows of the current epoch taken / its windows)
 * @param epochEnd      whether this is the full evaluation at the end of an epoch (or of a run stopped mid-epoch)
 */
public record EpochMetrics(int epoch, long step, long tokensSeen, double lr, Double trainNll, HeldOutScore val,
                           Double floorBpc, Double trueBpc, double elapsedSeconds, double splitFraction,
                           double epochProgress, boolean epochEnd) {

    public Double gapBpc() { return trueBpc == null ? null : val.bitsPerChar() - trueBpc; }

    /** Whether the whole held-out split was scored: only these are comparable with each other to the last digit. */
    public boolean fullPass() { return splitFraction == 1.0; }

    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("tokens_seen", tokensSeen);
        m.put("lr", lr);
        m.put("train_nll", trainNll);
        m.put("val_nll", val.natsPerToken());
        m.put("val_ppl", val.perplexity());
        m.put("val_bits_per_token", val.bitsPerToken());
        m.put("val_bpc", val.bitsPerChar());
        m.put("val_bpb", val.bitsPerByte());
        m.put("val_tokens", val.tokens());
        m.put("val_chars", val.chars());
        m.put("val_bytes", val.bytes());
        m.put("floor_bpc", floorBpc);
        m.put("true_bpc", trueBpc);
        m.put("gap_bpc", gapBpc());
        m.put("elapsed_s", elapsedSeconds);
        m.put("split_fraction", splitFraction);
        m.put("epoch_progress", epochProgress);
        m.put("epoch_end", epochEnd);
        return m;
    }
}
