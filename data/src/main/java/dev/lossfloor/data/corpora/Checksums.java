package dev.lossfloor.data.corpora;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** SHA-256 helpers shared by the registry and the store. */
final class Checksums {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private Checksums() {
    }

    /** True for 64 lower-case hex digits. */
    static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    static String requireSha256(String s, String what) {
        if (!isSha256(s)) {
            throw new IllegalArgumentException(what + ": sha256 must be 64 lower-case hex digits, got " + s);
        }
        return s;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java runtime must provide", e);
        }
    }

    /** Checks a path relative to the data directory: forward slashes, no "..", not absolute, not empty. */
    static String requireRelativePath(String path, String what) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.endsWith("/")) {
            throw new IllegalArgumentException(what + ": need a relative file path with forward slashes, got " + path);
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(what + ": path " + path + " has an empty, '.' or '..' component");
            }
        }
        return path;
    }
}
