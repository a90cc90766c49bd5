package dev.lossfloor.trainer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation, as written to metrics.jsonl. The keys and their order are a contract: labs and users' scripts
 * read them. floor_bpc, true_bpc and gap_bpc are null when the data's entropy is unknown.
 */
public record EpochMetrics(int epoch, long step, long tokensSeen, double lr, double trainNll, HeldOutScore val,
                           Double floorBpc, Double trueBpc, double elapsedSeconds) {

    public Double gapBpc() { return trueBpc == null ? null : val.bitsPerChar() - trueBpc; }

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
        return m;
    }
}
