package dev.lossfloor.trainer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The divergence hint suggests only changes: a lower --lr, a longer --warmup, and --clip only where it is off or loose. */
class DivergenceHintTest {
    private static TrainingSettings settings(double lr, int warmup, double clip) {
        return new TrainingSettings(4, lr, lr / 10, warmup, 0.1, clip, 1, 1, 0, 0.9, 0.99, 1e-8);
    }

    @Test
    void defaultClipIsNotSuggested() {
        assertEquals("try a lower --lr (e.g. 0.001, a third of 0.003) or a longer --warmup (e.g. 400, was 100)",
                Trainer.divergenceHint(settings(3e-3, 100, 1.0)));
    }

    @Test
    void clippingOffOrLooseIsSuggested() {
        assertEquals("try a lower --lr (e.g. 330000, a third of 1000000), a longer --warmup (e.g. 100, was 0) or --clip 1.0 (clipping was off)",
                Trainer.divergenceHint(settings(1e6, 0, 0)));
        assertEquals("try a lower --lr (e.g. 0.01, a third of 0.03), a longer --warmup (e.g. 800, was 200) or --clip 1.0 (was 5)",
                Trainer.divergenceHint(settings(0.03, 200, 5)));
    }
}
