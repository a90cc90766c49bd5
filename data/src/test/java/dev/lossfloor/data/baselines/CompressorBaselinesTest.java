package dev.lossfloor.data.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossfloor.data.baselines.CompressorBaselines.Compressor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressorBaselinesTest {

    private static final String SENTENCE = "the quick brown fox jumps over the lazy dog. ";

    @Test
    void repetitiveTextCompressesFarBelowEightBitsAndTrainingHelps() {
        String train = SENTENCE.repeat(200);
        String heldOut = SENTENCE.repeat(100);
        List<CompressionResult> results = CompressorBaselines.compute(train, heldOut);
        assertEquals(List.of("deflate", "bzip2", "xz"), results.stream().map(CompressionResult::compressor).toList());
        for (CompressionResult r : results) {
            assertEquals(heldOut.length(), r.chars());
            assertEquals(heldOut.length(), r.bytes());
            assertTrue(r.aloneBitsPerByte() < 1.0, r.toString());
            assertTrue(r.conditionalBitsPerChar() <= r.aloneBitsPerChar(), r.toString());
            assertTrue(r.conditionalBitsPerByte() <= r.aloneBitsPerByte(), r.toString());
            assertEquals(8.0 * r.aloneBytes() / r.bytes(), r.aloneBitsPerByte(), 1e-12);
            assertEquals(8.0 * (r.trainPlusHeldOutBytes() - r.trainBytes()) / r.chars(), r.conditionalBitsPerChar(), 1e-12);
        }
    }

    @Test
    void noCompressorBeatsTheEntropyOfRandomText() {
        // i.i.d. uniform over 16 letters: exactly 4 bits per character
        Random random = new Random(5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40_000; i++) b.append((char) ('a' + random.nextInt(16)));
        String text = b.toString();
        for (CompressionResult r : CompressorBaselines.compute(text.substring(0, 20_000), text.substring(20_000))) {
            assertTrue(r.aloneBitsPerChar() >= 4.0, r.toString());
            assertTrue(r.conditionalBitsPerChar() >= 3.9, r.toString());
            assertTrue(r.aloneBitsPerChar() < 8.0, r.toString());
        }
    }

    @Test
    void bitsPerByteUseUtf8Bytes() {
        String heldOut = "żółć ".repeat(50); // 250 characters, 450 bytes
        CompressionResult r = CompressorBaselines.compute(Compressor.DEFLATE, "żółć gęślą jaźń ", heldOut);
        assertEquals(250, r.chars());
        assertEquals(450, r.bytes());
        assertEquals(r.aloneBitsPerChar() * 250 / 450, r.aloneBitsPerByte(), 1e-12);
    }
}
