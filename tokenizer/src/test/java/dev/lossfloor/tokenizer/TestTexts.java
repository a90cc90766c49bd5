package dev.lossfloor.tokenizer;

import java.util.SplittableRandom;

/** Random valid Unicode text covering 1- to 4-byte UTF-8 sequences. */
final class TestTexts {

    private TestTexts() {
    }

    static String randomText(SplittableRandom random, int codePoints) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp;
            switch (random.nextInt(4)) {
                case 0 -> cp = random.nextInt(0, 0x80);
                case 1 -> cp = random.nextInt(0x80, 0x800);
                case 2 -> {
                    do {
                        cp = random.nextInt(0x800, 0x10000);
                    } while (Character.isSurrogate((char) cp));
                }
                default -> cp = random.nextInt(0x10000, Character.MAX_CODE_POINT + 1);
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }
}
