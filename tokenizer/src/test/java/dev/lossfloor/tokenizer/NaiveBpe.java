package dev.lossfloor.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * minbpe's algorithm, written as plainly as possible, as the reference for the fast trainer and encoder: recount every
 * pair after every merge; encode a piece by merging its lowest-ranked pair everywhere, left to right, until none is left.
 * Ties between equally frequent pairs go to the smallest (left, right), as in BpeTrainer.
 */
final class NaiveBpe {
    private NaiveBpe() {
    }

    static List<List<Integer>> pieces(String text, boolean split) {
        List<List<Integer>> pieces = new ArrayList<>();
        if (split) {
            int start = 0;
            for (int end : Gpt2PreTokenizer.ends(text)) {
                pieces.add(bytes(text.substring(start, end)));
                start = end;
            }
        } else {
            pieces.add(bytes(text));
        }
        return pieces;
    }

    static List<Integer> bytes(String s) {
        List<Integer> out = new ArrayList<>();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.add(b & 0xFF);
        }
        return out;
    }

    static Map<Long, Long> counts(List<List<Integer>> pieces) {
        Map<Long, Long> counts = new TreeMap<>();
        for (List<Integer> p : pieces) {
            for (int i = 0; i + 1 < p.size(); i++) {
                counts.merge(BpeTokenizer.key(p.get(i), p.get(i + 1)), 1L, Long::sum);
            }
        }
        return counts;
    }

    static List<int[]> train(String text, int vocabSize, boolean split) {
        List<List<Integer>> pieces = pieces(text, split);
        List<int[]> merges = new ArrayList<>();
        while (256 + merges.size() < vocabSize) {
            Map<Long, Long> counts = counts(pieces);
            long best = -1;
            long bestCount = 1;
            for (Map.Entry<Long, Long> e : counts.entrySet()) { // TreeMap: ascending (left, right)
                if (e.getValue() > bestCount) {
                    bestCount = e.getValue();
                    best = e.getKey();
                }
            }
            if (best < 0) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            int c = 256 + merges.size();
            merges.add(new int[]{a, b});
            for (List<Integer> p : pieces) {
                mergeAll(p, a, b, c);
            }
        }
        return merges;
    }

    static void mergeAll(List<Integer> p, int a, int b, int c) {
        for (int i = 0; i + 1 < p.size(); i++) {
            if (p.get(i) == a && p.get(i + 1) == b) {
                p.set(i, c);
                p.remove(i + 1);
            }
        }
    }

    static int[] encode(List<int[]> merges, String text, boolean split) {
        Map<Long, Integer> rank = new TreeMap<>();
        for (int r = 0; r < merges.size(); r++) {
            rank.put(BpeTokenizer.key(merges.get(r)[0], merges.get(r)[1]), r);
        }
        List<Integer> out = new ArrayList<>();
        for (List<Integer> p : pieces(text, split)) {
            while (p.size() >= 2) {
                int best = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < p.size(); i++) {
                    Integer r = rank.get(BpeTokenizer.key(p.get(i), p.get(i + 1)));
                    if (r != null && r < best) {
                        best = r;
                    }
                }
                if (best == Integer.MAX_VALUE) {
                    break;
                }
                mergeAll(p, merges.get(best)[0], merges.get(best)[1], 256 + best);
            }
            out.addAll(p);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
