package dev.lossfloor.data;

/** A text cut into a training part and a held-out validation part. */
public record Split(String train, String val) {
}
