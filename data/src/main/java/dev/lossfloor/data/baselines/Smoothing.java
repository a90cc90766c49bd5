package dev.lossfloor.data.baselines;

/** Kneser-Ney variants of {@link KneserNeyModel}. */
public enum Smoothing {
    /** Interpolated Kneser-Ney: one absolute discount per level, D = n1 / (n1 + 2 n2). */
    KN("kn"),
    /** Modified Kneser-Ney (Chen &amp; Goodman 1998): discounts D1, D2, D3+ per level for counts 1, 2, &gt;= 3. */
    MKN("mkn");

    private final String id;

    Smoothing(String id) {
        this.id = id;
    }

    /** The short name used in results and JSON: "kn" or "mkn". */
    public String id() {
        return id;
    }
}
