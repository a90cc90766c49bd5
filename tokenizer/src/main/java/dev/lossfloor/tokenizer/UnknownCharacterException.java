package dev.lossfloor.tokenizer;

/** A character that is not in a {@link CharTokenizer}'s vocabulary, with where it occurs. */
public final class UnknownCharacterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int codePoint;
    private final int charOffset;
    private final long byteOffset;

    public UnknownCharacterException(int codePoint, int charOffset, long byteOffset) {
        super(message(codePoint, charOffset, byteOffset));
        this.codePoint = codePoint;
        this.charOffset = charOffset;
        this.byteOffset = byteOffset;
    }

    private static String message(int codePoint, int charOffset, long byteOffset) {
        String shown = Unicode.isPrintable(codePoint)
                ? " '" + new String(Character.toChars(codePoint)) + "'" : "";
        return "character " + Unicode.name(codePoint) + shown + " at character offset " + charOffset
                + " (byte offset " + byteOffset + ") is not in the char vocabulary learned from the training"
                + " split; pass --unk to map unseen characters to <unk>, or use --tokenizer byte";
    }

    /** The unknown code point. */
    public int codePoint() {
        return codePoint;
    }

    /** Its offset in the text, counted in code points. */
    public int charOffset() {
        return charOffset;
    }

    /** Its offset in the text's UTF-8 encoding, counted in bytes. */
    public long byteOffset() {
        return byteOffset;
    }
}
