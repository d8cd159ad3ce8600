package dev.lathe.examples;

import dev.lathe.ir.DType;
import dev.lathe.records.RecordReader;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeNetTest {
    static final LeNet NET = LeNet.declare(2);
    static final Map<String, NDArray> WEIGHTS = NET.randomWeights(11);
    static final NDArray IMAGE = NDArray.random(DType.FLOAT32, new Random(3), 2, 1, 28, 28);

    @Test
    void staticModeMatchesTheReferenceEvaluator() {
        NDArray want = NET.reference(IMAGE, WEIGHTS);
        assertArrayEquals(new long[]{2, 10}, want.shape());
        check(want, NET.compileStatic(WEIGHTS).run(IMAGE));
    }

    /** A tiny budget shared by the six layers: the point is that tuned programs run and stay correct. */
    @Test
    void tunedMatchesTheReferenceEvaluator(@TempDir Path dir) {
        Path records = dir.resolve("lenet.jsonl");
        LeNet.Compiled tuned = NET.tune(6, records, WEIGHTS);
        assertEquals(6, tuned.modules().size());
        assertTrue(RecordReader.read(records).records().size() >= 6, "the trials are recorded");
        check(NET.reference(IMAGE, WEIGHTS), tuned.run(IMAGE));
    }

    @Test
    void wrongInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LeNet.declare(0));
        LeNet.Compiled c = NET.compileStatic(WEIGHTS);
        var e = assertThrows(IllegalArgumentException.class, () -> c.run(NDArray.zeros(DType.FLOAT32, 1, 1, 28, 28)));
        assertTrue(e.getMessage().contains("[2, 1, 28, 28]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NET.compileStatic(Map.of()));
    }

    private static void check(NDArray want, NDArray got) {
        assertArrayEquals(want.shape(), got.shape());
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                double w = want.getDouble(n * 10 + k);
                assertEquals(w, got.getDouble(n * 10 + k), 1e-5 + 1e-4 * w, "image " + n + " class " + k);
                sum += got.getDouble(n * 10 + k);
            }
            assertEquals(1, sum, 1e-5, "probabilities of image " + n);
        }
        // Random weights still give a non-uniform distribution, or the comparison would be weak.
        double max = 0;
        for (long i = 0; i < want.size(); i++) {
            max = Math.max(max, want.getDouble(i));
        }
        assertTrue(max > 0.15, "max probability " + max);
    }
}
