package dev.lossfloor.tokenizer;

/** Strict UTF-8 validation of one sequence (no overlong forms, no surrogates, nothing above U+10FFFF). */
final class Utf8 {
    private Utf8() {
    }

    /** The length of the valid UTF-8 sequence starting at {@code k}, or 0 if none starts there. */
    static int validSequenceLength(byte[] b, int k) {
        int b0 = b[k] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        if (b0 < 0xC2) {
            return 0; // a continuation byte or an overlong 2-byte lead
        }
        if (b0 < 0xE0) {
            return k + 1 < b.length && cont(b[k + 1]) ? 2 : 0;
        }
        if (b0 < 0xF0) {
            if (k + 2 >= b.length || !cont(b[k + 1]) || !cont(b[k + 2])) {
                return 0;
            }
            int b1 = b[k + 1] & 0xFF;
            if (b0 == 0xE0 && b1 < 0xA0) {
                return 0; // overlong
            }
            if (b0 == 0xED && b1 >= 0xA0) {
                return 0; // a surrogate
            }
            return 3;
        }
        if (b0 < 0xF5) {
            if (k + 3 >= b.length || !cont(b[k + 1]) || !cont(b[k + 2]) || !cont(b[k + 3])) {
                return 0;
            }
            int b1 = b[k + 1] & 0xFF;
            if (b0 == 0xF0 && b1 < 0x90) {
                return 0; // overlong
            }
            if (b0 == 0xF4 && b1 >= 0x90) {
                return 0; // above U+10FFFF
            }
            return 4;
        }
        return 0;
    }

    private static boolean cont(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
