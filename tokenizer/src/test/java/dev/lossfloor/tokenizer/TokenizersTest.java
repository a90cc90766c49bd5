package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizersTest {

    @Test
    void rebuildsByteTokenizer() {
        Tokenizer rebuilt = Tokenizers.fromState(new HashMap<>(new ByteTokenizer().state()));
        assertInstanceOf(ByteTokenizer.class, rebuilt);
        assertEquals(256, rebuilt.vocabSize());
    }

    @Test
    void rebuildsCharTokenizerFromLongsAndDoubles() {
        String text = "hello, 世界 😀";
        CharTokenizer original = CharTokenizer.fit(text, true);
        Map<String, Object> state = original.state();
        assertEquals("char", state.get("type"));
        assertEquals(true, state.get("unk"));

        for (boolean asDouble : new boolean[] {false, true}) {
            // JSON parsers hand numbers back as Long or Double.
            List<Object> numbers = new ArrayList<>();
            for (Object cp : (List<?>) state.get("vocab")) {
                long value = ((Number) cp).longValue();
                numbers.add(asDouble ? (Object) (double) value : (Object) value);
            }
            Map<String, Object> json = new HashMap<>(state);
            json.put("vocab", numbers);
            Tokenizer rebuilt = Tokenizers.fromState(json);
            assertEquals(original.vocabSize(), rebuilt.vocabSize());
            assertArrayEquals(original.encode(text + "?").ids(), rebuilt.encode(text + "?").ids());
            assertEquals(original.state(), rebuilt.state());
        }
    }

    @Test
    void rejectsBadState() {
        IllegalArgumentException unknownType = assertThrows(IllegalArgumentException.class,
                () -> Tokenizers.fromState(Map.of("type", "sentencepiece")));
        assertTrue(unknownType.getMessage().contains("\"sentencepiece\""), unknownType.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromState(Map.of("type", "char")));
        assertThrows(IllegalArgumentException.class,
                () -> Tokenizers.fromState(Map.of("type", "char", "vocab", List.of(97.5), "unk", false)));
        assertThrows(IllegalArgumentException.class,
                () -> Tokenizers.fromState(Map.of("type", "char", "vocab", List.of(98, 97), "unk", false)));
    }
}
