package dev.lossfloor.tokenizer;

/** Small Unicode helpers shared by the tokenizers. */
final class Unicode {

    private Unicode() {
    }

    /** UTF-8 length of a valid (non-surrogate) code point. */
    static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    /** "U+00E9" style name of a code point. */
    static String name(int codePoint) {
        return String.format("U+%04X", codePoint);
    }

    /** Whether the code point is a visible character that is safe to put in a one-line message. */
    static boolean isPrintable(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /** Printable form of a code point for vocabulary listings. */
    static String display(int codePoint) {
        switch (codePoint) {
            case '\n':
                return "\\n";
            case '\t':
                return "\\t";
            case '\r':
                return "\\r";
            case ' ':
                return "<sp>";
            default:
                return isPrintable(codePoint) ? new String(Character.toChars(codePoint)) : name(codePoint);
        }
    }

    /**
     * Rejects a lone surrogate: such a string is not valid Unicode, has no UTF-8 form, and would
     * make the byte counts meaningless. Text decoded strictly from UTF-8 never contains one.
     */
    static IllegalArgumentException loneSurrogate(char c, int charIndex) {
        return new IllegalArgumentException("text has an unpaired surrogate " + name(c) + " at UTF-16 index "
                + charIndex + "; it is not valid Unicode, so read the text as strict UTF-8 first");
    }

    /** Throws {@link #loneSurrogate} at the first unpaired surrogate of {@code text}. */
    static void requireNoLoneSurrogates(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw loneSurrogate(c, i);
                }
            }
        }
    }
}
