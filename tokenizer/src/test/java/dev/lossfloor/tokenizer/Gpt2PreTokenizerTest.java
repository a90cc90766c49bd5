package dev.lossfloor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Gpt2PreTokenizerTest {

    /** The regex as jtokkit compiles it for r50k_base. */
    private static final Pattern REGEX = Pattern.compile(Gpt2PreTokenizer.PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

    static List<String> byRegex(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = REGEX.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    static List<String> byMatcher(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int end : Gpt2PreTokenizer.ends(text)) {
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }

    @Test
    void splitsLikeGpt2() {
        assertEquals(List.of("Hello", ",", " world", "!", " It", "'s", " 2024", ".", "  ", " ok", "\n", "\n", "x"),
                byMatcher("Hello, world! It's 2024.   ok\n\nx"));
        assertEquals(List.of("a", " \n", " b", "   "), byMatcher("a \n b   "));
        assertEquals(List.of("don", "'t", " '", "S", " ?!", " 漢字", "😀"), byMatcher("don't 'S ?! 漢字😀"));
    }

    @Test
    void agreesWithTheRegexOnRandomText() {
        // the characters where the alternatives differ: spaces of several kinds, apostrophes, letters, digits,
        // marks (neither letter nor number), symbols, surrogate pairs
        String[] alphabet = {" ", " ", " ", "\n", "\r\n", "\t", "\u00A0", "\u3000", "\u2028", "\u0085", "\u001C", "'", "'",
                "s", "t", "l", "l", "v", "e", "r", "d", "m", "A", "z", "é", "ß", "Ж", "漢", "7", "٣", "½", "Ⅻ", ".", ",",
                "!", "-", "\u0301", "😀", "𝐀", "𝟙", "\u200B", "_"};
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 3000; trial++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(0, 30);
            for (int i = 0; i < n; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = text.toString();
            assertEquals(byRegex(s), byMatcher(s), () -> "text: " + s.codePoints()
                    .mapToObj(cp -> String.format("U+%04X", cp)).toList());
        }
    }
}
