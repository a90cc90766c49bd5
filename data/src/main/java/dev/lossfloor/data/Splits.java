package dev.lossfloor.data;

/** Train/validation splits of a text. */
public final class Splits {

    private Splits() {
    }

    /**
     * Contiguous split with the validation part taken from the end: the first
     * floor(codePoints * (1 - valFraction)) code points train, as nanoGPT's int(n * 0.9) (Tiny Shakespeare:
     * 1,003,854 train / 111,540 validation characters). Cutting at a code point keeps a
     * surrogate pair together; a contiguous tail keeps the held-out text unseen in training.
     */
    public static Split tail(String text, double valFraction) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be between 0 and 1 (exclusive), got " + valFraction);
        }
        int codePoints = text.codePointCount(0, text.length());
        // the epsilon keeps 10 x (1 - 0.9) = 0.99999... from flooring to 0
        long trainCodePoints = (long) Math.floor(codePoints * (1 - valFraction) + 1e-9);
        if (trainCodePoints == 0 || trainCodePoints == codePoints) {
            throw new DataException("text of " + codePoints + " characters leaves the "
                    + (trainCodePoints == 0 ? "training" : "validation") + " split empty with --val-fraction "
                    + valFraction + "; use a longer text or a " + (trainCodePoints == 0 ? "smaller" : "larger")
                    + " --val-fraction");
        }
        int cut = text.offsetByCodePoints(0, (int) trainCodePoints);
        return new Split(text.substring(0, cut), text.substring(cut));
    }
}
