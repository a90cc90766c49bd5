package dev.lossfloor.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlidingWindowPlanTest {

    @Test
    void scoresEveryTokenButTheFirstExactlyOnce() {
        int[][] cases = {{2, 1, 1}, {5, 4, 4}, {6, 4, 4}, {13, 4, 4}, {14, 4, 4}, {100, 8, 3}, {101, 8, 8},
            {100, 8, 1}, {37, 5, 2}, {9, 8, 5}, {1000, 64, 32}, {1000, 64, 63}, {65, 64, 7}};
        for (int[] c : cases) {
            int n = c[0];
            int context = c[1];
            int stride = c[2];
            String name = "n=" + n + " context=" + context + " stride=" + stride;
            SlidingWindowPlan plan = SlidingWindowPlan.of(n, context, stride);
            int[] scored = new int[n];
            for (int i = 0; i < plan.size(); i++) {
                int start = plan.start(i);
                assertTrue(start >= 0 && start + context <= n - 1, name);
                int first = plan.firstScored(i);
                assertTrue(first >= 0 && first < context, name);
                // Target t of the window is token start + 1 + t and has seen t + 1 tokens.
                if (i > 0) {
                    assertTrue(first + 1 >= context - stride, name);
                    assertTrue(start > plan.start(i - 1), name);
                }
                for (int t = first; t < context; t++) {
                    scored[start + 1 + t]++;
                }
            }
            assertEquals(0, scored[0], name);
            for (int token = 1; token < n; token++) {
                assertEquals(1, scored[token], name + " token " + token);
            }
            assertEquals(n - 1, plan.scoredTokens(), name);
        }
    }

    @Test
    void alignsTheLastWindowToTheEnd() {
        SlidingWindowPlan plan = SlidingWindowPlan.of(14, 4, 4);
        assertEquals(4, plan.size());
        assertEquals(8, plan.start(2));
        assertEquals(9, plan.start(3));
        assertEquals(3, plan.firstScored(3));
        assertEquals(1, plan.scoredCount(3));
    }

    @Test
    void rejectsBadSettings() {
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> SlidingWindowPlan.of(100, 8, 9));
        assertTrue(stride.getMessage().startsWith("--eval-stride must be between 1 and the context length 8"));
        assertThrows(IllegalArgumentException.class, () -> SlidingWindowPlan.of(100, 8, 0));
        DataException tooShort = assertThrows(DataException.class, () -> SlidingWindowPlan.of(8, 8, 4));
        assertTrue(tooShort.getMessage().startsWith("held-out split has 8 tokens; it needs at least context+1 = 9 tokens"),
                tooShort.getMessage());
    }
}
