package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {

    private static final String TRAINING = BpeTrainerTest.wordyText(new SplittableRandom(5), 3000)
            + TestTexts.randomText(new SplittableRandom(6), 300);
    private static final BpeTokenizer SPLIT = BpeTokenizer.train(TRAINING, 700, true);
    private static final BpeTokenizer WHOLE = BpeTokenizer.train(TRAINING, 700, false);

    @Test
    void anyByteStringRoundTrips() {
        SplittableRandom random = new SplittableRandom(1);
        for (BpeTokenizer bpe : List.of(SPLIT, WHOLE)) {
            for (int trial = 0; trial < 300; trial++) {
                byte[] bytes = new byte[random.nextInt(0, 400)];
                if (trial % 3 == 0) {
                    random.nextBytes(bytes); // mostly invalid UTF-8
                } else {
                    // valid text with random bytes spliced in: truncated sequences, stray continuation bytes
                    byte[] text = BpeTrainerTest.wordyText(random, bytes.length / 6 + 1).getBytes(StandardCharsets.UTF_8);
                    bytes = text.clone();
                    for (int k = 0; k < 3 && bytes.length > 0; k++) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                }
                Encoding enc = bpe.encodeBytes(bytes);
                assertArrayEquals(bytes, bpe.decodeBytes(enc.ids()));
                assertEquals(bytes.length, enc.totalBytes());
                assertEquals(ByteTokens.characters(bytes), enc.totalChars());
            }
        }
    }

    @Test
    void anyTextRoundTripsWithExactCounts() {
        SplittableRandom random = new SplittableRandom(2);
        for (BpeTokenizer bpe : List.of(SPLIT, WHOLE)) {
            for (int trial = 0; trial < 200; trial++) {
                String text = trial % 2 == 0 ? TestTexts.randomText(random, random.nextInt(0, 200))
                        : BpeTrainerTest.wordyText(random, random.nextInt(1, 60));
                Encoding enc = bpe.encode(text);
                assertEquals(text, bpe.decode(enc.ids()));
                assertEquals(text.getBytes(StandardCharsets.UTF_8).length, enc.totalBytes());
                assertEquals(text.codePointCount(0, text.length()), enc.totalChars());
                // the String API and the byte API agree on valid UTF-8
                assertArrayEquals(enc.ids(), bpe.encodeBytes(text.getBytes(StandardCharsets.UTF_8)).ids());
                for (int i = 0; i < enc.length(); i++) {
                    assertEquals(bpe.tokenBytes(enc.ids()[i]).length, enc.bytesPerToken()[i]);
                }
            }
        }
    }

    @Test
    void aCharacterBelongsToTheTokenWithItsLastByte() {
        // no merges: every byte is a token; "é" = C3 A9, "漢" = E6 BC A2
        BpeTokenizer bytes = BpeTokenizer.of(List.of(), false);
        Encoding enc = bytes.encode("aé漢");
        assertArrayEquals(new int[]{1, 1, 1, 1, 1, 1}, enc.bytesPerToken());
        assertArrayEquals(new int[]{1, 0, 1, 0, 0, 1}, enc.charsPerToken());
        // one merge (C3, A9) -> "é" whole; a merge (a, C3) makes a token that ends inside "é"
        BpeTokenizer merged = BpeTokenizer.of(List.of(new int[]{'a', 0xC3}), false);
        Encoding e2 = merged.encode("aé");
        assertArrayEquals(new int[]{256, 0xA9}, e2.ids());
        // "a" ends in token 0; "é" starts in token 0 and ends in token 1, so token 1 counts it
        assertArrayEquals(new int[]{1, 1}, e2.charsPerToken());
        assertEquals("a\uFFFD", merged.decode(new int[]{256}), "a cut character decodes as U+FFFD");
    }

    @Test
    void encodingEqualsTheNaiveEncoder() {
        SplittableRandom random = new SplittableRandom(4);
        for (boolean split : new boolean[]{true, false}) {
            BpeTokenizer bpe = split ? SPLIT : WHOLE;
            List<int[]> merges = bpe.merges();
            for (int trial = 0; trial < 40; trial++) {
                String text = BpeTrainerTest.wordyText(random, random.nextInt(1, 120));
                assertArrayEquals(NaiveBpe.encode(merges, text, split), bpe.encode(text).ids(), text);
            }
        }
    }

    @Test
    void stateRoundTripsThroughJsonNumbers() {
        for (BpeTokenizer bpe : List.of(SPLIT, WHOLE)) {
            Map<String, Object> state = bpe.state();
            assertEquals("bpe", state.get("type"));
            for (boolean asDouble : new boolean[]{false, true}) {
                List<Object> merges = new ArrayList<>();
                for (Object pair : (List<?>) state.get("merges")) {
                    List<Object> p = new ArrayList<>();
                    for (Object id : (List<?>) pair) {
                        long v = ((Number) id).longValue();
                        p.add(asDouble ? (Object) (double) v : (Object) v);
                    }
                    merges.add(p);
                }
                Map<String, Object> json = new HashMap<>(state);
                json.put("merges", merges);
                Tokenizer rebuilt = Tokenizers.fromState(json);
                assertEquals(bpe.state(), rebuilt.state());
                assertArrayEquals(bpe.encode(TRAINING).ids(), rebuilt.encode(TRAINING).ids());
            }
        }
    }

    @Test
    void rejectsCorruptState() {
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(Map.of("type", "bpe")));
        IllegalArgumentException forward = assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(
                Map.of("type", "bpe", "merges", List.of(List.of(97, 300)))));
        assertTrue(forward.getMessage().contains("not below 256"), forward.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(
                Map.of("type", "bpe", "merges", List.of(List.of(97, 98), List.of(97, 98)))));
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(
                Map.of("type", "bpe", "split", "maybe", "merges", List.of())));
    }

    @Test
    void rejectsLoneSurrogatesAndForeignIds() {
        assertThrows(IllegalArgumentException.class, () -> SPLIT.encode("a\uD800b"));
        assertThrows(IllegalArgumentException.class, () -> SPLIT.decode(new int[]{700}));
    }
}
