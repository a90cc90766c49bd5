package dev.lossfloor.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's pre-split of text into pieces that BPE merges never cross: contractions, runs of letters, runs of numbers,
 * runs of other symbols (each optionally preceded by one space) and runs of whitespace. It is the pattern of GPT-2's
 * encoder.py and of r50k_base (tiktoken, jtokkit):
 * <pre>{@value #PATTERN}</pre>
 * compiled with Unicode character classes (as jtokkit does: {@code \s} is Unicode White_Space). This class is a hand-written
 * matcher for exactly that pattern, several times faster than {@link java.util.regex.Pattern}; a property test checks the
 * two agree piece for piece.
 */
public final class Gpt2PreTokenizer {

    /** The regular expression this matcher implements (leftmost alternative wins, as in a regex engine). */
    public static final String PATTERN = "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private Gpt2PreTokenizer() {
    }

    /**
     * End offsets (UTF-16 indices, exclusive, increasing, the last equal to {@code text.length()}) of the pieces of
     * {@code text}; the pieces cover the text exactly. An empty text has no pieces.
     */
    public static int[] ends(CharSequence text) {
        int n = text.length();
        int[] ends = new int[Math.max(16, n / 3)];
        int count = 0;
        for (int i = 0; i < n; ) {
            int end = next(text, i, n);
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, ends.length * 2);
            }
            ends[count++] = end;
            i = end;
        }
        return Arrays.copyOf(ends, count);
    }

    /** The end of the piece that starts at {@code i}. */
    static int next(CharSequence text, int i, int n) {
        int c = codePointAt(text, i, n);
        if (c == '\'' && i + 1 < n) {
            char a = text.charAt(i + 1);
            if (a == 's' || a == 'd' || a == 'm' || a == 't') {
                return i + 2;
            }
            if (i + 2 < n) {
                char b = text.charAt(i + 2);
                if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e')) {
                    return i + 3;
                }
            }
        }
        int start = i;
        int kind = kind(c);
        if (c == ' ' && i + 1 < n) {
            int after = codePointAt(text, i + 1, n);
            int afterKind = kind(after);
            if (afterKind != SPACE) {
                // " ?X+": the space joins the run that follows it
                start = i + 1;
                kind = afterKind;
                c = after;
            }
        }
        if (kind != SPACE) {
            int j = start + Character.charCount(c);
            while (j < n) {
                int d = codePointAt(text, j, n);
                if (kind(d) != kind) {
                    break;
                }
                j += Character.charCount(d);
            }
            return j;
        }
        // a whitespace run (White_Space characters are all in the BMP)
        int j = i + 1;
        while (j < n && isSpace(text.charAt(j))) {
            j++;
        }
        if (j == n) {
            return j; // \s+(?!\S) at the end of the text
        }
        // followed by a non-space: \s+(?!\S) leaves the last whitespace character to the next piece, \s+ takes a single one
        return j - i >= 2 ? j - 1 : j;
    }

    static final int LETTER = 0;
    static final int NUMBER = 1;
    static final int OTHER = 2;
    static final int SPACE = 3;

    /** Letter (\p{L}), number (\p{N}), whitespace (\s with Unicode classes) or anything else. */
    static int kind(int cp) {
        if (cp < 0x80) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
                return LETTER;
            }
            if (cp >= '0' && cp <= '9') {
                return NUMBER;
            }
            return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) ? SPACE : OTHER;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER:
                return NUMBER;
            default:
                return isSpace(cp) ? SPACE : OTHER;
        }
    }

    /** Unicode White_Space, as java.util.regex's \s under UNICODE_CHARACTER_CLASS. */
    static boolean isSpace(int cp) {
        if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85) {
            return true;
        }
        if (cp < 0xA0) {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static int codePointAt(CharSequence text, int i, int n) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < n) {
            char d = text.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return Character.toCodePoint(c, d);
            }
        }
        return c;
    }
}
