package dev.lossfloor.data.corpora;

import dev.lossfloor.data.Split;
import java.util.Objects;

/**
 * A corpus's texts, split by its rule.
 *
 * @param test the test text, or null when the corpus has no test split
 */
public record CorpusSplit(String train, String val, String test) {

    public CorpusSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
    }

    public boolean hasTest() {
        return test != null;
    }

    /** The training and validation texts as the trainer's {@link Split}. */
    public Split toSplit() {
        return new Split(train, val);
    }
}
