package dev.lossfloor.data.baselines;

/**
 * The discounts a {@link KneserNeyModel} estimated for one level from that level's count-of-counts n1..n4.
 *
 * @param level  k: the level of k-grams (context of k - 1 characters)
 * @param counts "raw" (the top level of an order-k model uses c(h w)) or "continuation" (a lower level of a
 *               higher-order model uses N1+(. h w), the number of distinct characters seen before h w)
 * @param kn     the interpolated Kneser-Ney discount D = Y = n1 / (n1 + 2 n2) (0.5 when n1 or n2 is 0)
 * @param d1     modified KN discount for count 1: 1 - 2 Y n2 / n1 (Y when n1 = 0), clamped to [0, 1]
 * @param d2     modified KN discount for count 2: 2 - 3 Y n3 / n2 (Y when n2 = 0), clamped to [0, 2]
 * @param d3plus modified KN discount for counts &gt;= 3: 3 - 4 Y n4 / n3 (Y when n3 = 0), clamped to [0, 3]
 */
public record LevelDiscounts(int level, String counts, double kn, double d1, double d2, double d3plus) {
}
