package dev.lossfloor.experiments;

import dev.lossfloor.data.DataException;
import dev.lossfloor.data.SyntheticSource;
import dev.lossfloor.tokenizer.Encoding;
import dev.lossfloor.tokenizer.Tokenizer;
import dev.lossfloor.tokenizer.UnknownCharacterException;
import dev.lossfloor.trainer.FloorReference;

/** Steps shared by train and eval: encoding a split with a clear error, and the floor of a known source. */
final class Evaluation {
    private Evaluation() {}

    static Encoding encode(Tokenizer tokenizer, String text, String what) {
        try {
            return tokenizer.encode(text);
        } catch (UnknownCharacterException e) {
            throw new DataException(what + ": " + e.getMessage());
        }
    }

    /** The true model's NLL on the predicted held-out characters (all but the first), and the entropy rate. */
    static FloorReference floor(SyntheticSource source, String heldOut, long predictedChars) {
        if (source == null) return null;
        double[] logProbs = source.conditionalLogProbs(heldOut);
        double nats = 0;
        double[] charNats = new double[logProbs.length];
        for (int i = 1; i < logProbs.length; i++) {
            nats -= logProbs[i];
            charNats[i] = -logProbs[i];
        }
        return new FloorReference(source.entropyRate(), nats, predictedChars, charNats);
    }
}
