package dev.lathe.records;

import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuningProgressTest {
    @Test
    void countsTrialsBestGflopsAndEta() {
        for (TuningProgress.Mode mode : TuningProgress.Mode.values()) {
            try (TuningProgress p = TuningProgress.start("matmul", 4, 2.0 * 64 * 64 * 64, mode)) {
                assertTrue(p.eta().isEmpty());
                p.update(new MeasureResult(List.of(1e-4), ErrorKind.NONE, "", 0, 0, 0));
                p.update(MeasureResult.failed(ErrorKind.COMPILE_ERROR, "x", 0, 0));
                p.update(new MeasureResult(List.of(5e-5), ErrorKind.NONE, "", 0, 0, 0));
                assertEquals(3, p.done());
                assertEquals(1, p.failed());
                assertEquals(5e-5, p.bestSeconds());
                assertEquals(2.0 * 64 * 64 * 64 / 5e-5 / 1e9, p.bestGflops(), 1e-9);
                assertTrue(p.eta().isPresent());
                String line = p.statusLine();
                assertTrue(line.startsWith("matmul: 3/4 trials (1 failed), best 10.5 GFLOP/s, elapsed 0:00:0"), line);
            }
        }
        try (TuningProgress p = TuningProgress.start("x", 1, 0, TuningProgress.Mode.QUIET)) {
            p.update(new MeasureResult(List.of(2e-3), ErrorKind.NONE, "", 0, 0, 0));
            assertTrue(p.statusLine().contains("best 2.0000 ms"), p.statusLine());
        }
    }
}
