package dev.lossfloor.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiktoken rank file (one "base64(token bytes) rank" per line) turned into our own {@link BpeTokenizer}: the merge
 * that made each multi-byte token is recovered by running the merges of the lower ranks over its bytes until two
 * parts remain (as minbpe's GPT-4 tokenizer does). This is how the correctness anchor loads GPT-2's r50k_base, shipped
 * inside jtokkit's jar, into our encoder.
 */
public final class TiktokenRanks {

    /** jtokkit's copy of GPT-2's ranks. */
    public static final String R50K_RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";

    private TiktokenRanks() {
    }

    /** Our tokenizer with the same vocabulary, and the tiktoken rank of each of our ids. */
    public record Converted(BpeTokenizer tokenizer, int[] rankOfId) {
        /** Our ids as tiktoken ranks (ids in the other's numbering). */
        public int[] toRanks(int[] ids) {
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = rankOfId[ids[i]];
            }
            return out;
        }
    }

    /** The tokens of r50k_base in rank order (50,256 byte strings; &lt;|endoftext|&gt; is not among them). */
    public static List<byte[]> r50k() {
        try (InputStream in = TiktokenRanks.class.getResourceAsStream(R50K_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(R50K_RESOURCE + " is not on the classpath; jtokkit is missing");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + R50K_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    static List<byte[]> parse(InputStream in) throws IOException {
        List<byte[]> byRank = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            int rank = Integer.parseInt(line.substring(space + 1).trim());
            if (rank != byRank.size()) {
                throw new IllegalArgumentException("tiktoken ranks must be 0, 1, 2, ... in order; found " + rank
                        + " at line " + (byRank.size() + 1));
            }
            byRank.add(Base64.getDecoder().decode(line.substring(0, space)));
        }
        return byRank;
    }

    /**
     * Converts ranked tokens (the first 256 being the single bytes in any order, every later one at least two bytes)
     * into merges.
     */
    public static Converted toBpe(List<byte[]> byRank, boolean split) {
        int n = byRank.size();
        int[] rankOfId = new int[n];
        Map<String, Integer> idOfBytes = new HashMap<>();
        for (int r = 0; r < Math.min(256, n); r++) {
            byte[] b = byRank.get(r);
            if (b.length != 1) {
                throw new IllegalArgumentException("rank " + r + " is not a single byte; the first 256 ranks must be the bytes");
            }
            rankOfId[b[0] & 0xFF] = r;
            idOfBytes.put(latin1(b), b[0] & 0xFF);
        }
        LongIntMap pairs = new LongIntMap(n);
        List<int[]> merges = new ArrayList<>();
        for (int r = 256; r < n; r++) {
            byte[] token = byRank.get(r);
            int[] parts = new int[token.length];
            int len = token.length;
            for (int k = 0; k < len; k++) {
                parts[k] = token[k] & 0xFF;
            }
            while (len > 2) {
                int best = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int k = 0; k + 1 < len; k++) {
                    int m = pairs.get(BpeTokenizer.key(parts[k], parts[k + 1]));
                    if (m >= 0 && m < bestRank) {
                        bestRank = m;
                        best = k;
                    }
                }
                if (best < 0) {
                    break;
                }
                parts[best] = 256 + bestRank;
                System.arraycopy(parts, best + 2, parts, best + 1, len - best - 2);
                len--;
            }
            if (len != 2) {
                throw new IllegalArgumentException("token of rank " + r + " cannot be built from two lower-ranked tokens");
            }
            int id = 256 + merges.size();
            pairs.put(BpeTokenizer.key(parts[0], parts[1]), merges.size());
            merges.add(new int[]{parts[0], parts[1]});
            rankOfId[id] = r;
            idOfBytes.put(latin1(token), id);
        }
        return new Converted(BpeTokenizer.of(merges, split), rankOfId);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
