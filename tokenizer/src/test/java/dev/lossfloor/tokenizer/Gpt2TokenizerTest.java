package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Gpt2TokenizerTest {

    @Test
    void encodesLikeGpt2() {
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.get();
        assertEquals(50_257, gpt2.vocabSize());
        // GPT-2: "Hello world" = [15496, 995]
        assertArrayEquals(new int[]{15496, 995}, gpt2.encode("Hello world").ids());
        assertEquals("<|endoftext|>", gpt2.tokenDisplay(50_256));
        assertEquals(gpt2, Tokenizers.fromState(Map.of("type", "gpt2", "encoding", "r50k_base")));
    }

    @Test
    void exactCountsWhereTokensCutCharacters() {
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.get();
        SplittableRandom random = new SplittableRandom(8);
        for (int trial = 0; trial < 50; trial++) {
            String text = TestTexts.randomText(random, random.nextInt(1, 100)) + "吾輩は猫である。";
            Encoding enc = gpt2.encode(text);
            assertEquals(text, gpt2.decode(enc.ids()));
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, enc.totalBytes());
            assertEquals(text.codePointCount(0, text.length()), enc.totalChars());
        }
    }

    @Test
    void r50kRanksInOurEncoderMatchJtokkit() {
        TiktokenRanks.Converted ours = TiktokenRanks.toBpe(TiktokenRanks.r50k(), true);
        assertEquals(50_256, ours.tokenizer().vocabSize());
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.get();
        SplittableRandom random = new SplittableRandom(12);
        for (int trial = 0; trial < 200; trial++) {
            String text = trial % 2 == 0 ? TestTexts.randomText(random, random.nextInt(0, 80))
                    : BpeTrainerTest.wordyText(random, random.nextInt(1, 40)) + " The quick brown fox's 1234567 jumps!!";
            assertArrayEquals(gpt2.encode(text).ids(), ours.toRanks(ours.tokenizer().encode(text).ids()), text);
        }
    }
}
