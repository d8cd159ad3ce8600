package dev.lathe.examples;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.schedule.StepJson;
import dev.lathe.te.ComputeDag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dBiasReluScheduleTest {
    /** Reduced shapes (the reference evaluator interprets every multiply-add), both with and without bias + relu. */
    @ParameterizedTest
    @CsvSource({"12, 16, 32, 64, false", "12, 16, 32, 64, true", "5, 8, 16, 64, true", "7, 8, 8, 64, false"})
    void handScheduleMatchesTheReference(int h, int w, int ci, int co, boolean biasRelu) {
        ComputeDag dag = Conv2dBiasReluSchedule.declare(1, h, w, ci, co, 3, 1, 1, biasRelu);
        ScheduleCheck.matchesReference(Conv2dBiasReluSchedule.schedule(dag), Map.of());
    }

    /** C1 and C6 at their real shapes, against a direct loop in Java; C6 checks bias and relu element by element. */
    @Test
    void c1AndC6AtTheirRealShapes() {
        Random rng = new Random(5);
        NDArray data = NDArray.random(DType.FLOAT32, rng, 1, 56, 56, 64);
        NDArray weight = NDArray.random(DType.FLOAT32, rng, 3, 3, 64, 64);
        NDArray bias = NDArray.random(DType.FLOAT32, rng, 64);
        float[] want = directConv(data.toFloatArray(), weight.toFloatArray(), 56, 56, 64, 64);

        Module c1 = Build.build(Conv2dBiasReluSchedule.schedule(Conv2dBiasReluSchedule.c1()), "c1");
        Module c6 = Build.build(Conv2dBiasReluSchedule.schedule(Conv2dBiasReluSchedule.c6()), "c6");
        for (int threads : new int[]{1, 2}) {
            c1.setThreads(threads);
            c6.setThreads(threads);
            NDArray out1 = NDArray.zeros(DType.FLOAT32, 1, 56, 56, 64);
            NDArray out6 = NDArray.zeros(DType.FLOAT32, 1, 56, 56, 64);
            c1.call(data, weight, out1);
            c6.call(data, weight, bias, out6);
            int zeros = 0;
            for (int e = 0; e < want.length; e++) {
                double w = want[e];
                assertEquals(w, out1.getDouble(e), 1e-3 + 1e-4 * Math.abs(w), "C1 element " + e);
                double r = Math.max(0, w + bias.getDouble(e % 64));
                assertEquals(r, out6.getDouble(e), 1e-3 + 1e-4 * Math.abs(r), "C6 element " + e);
                zeros += out6.getDouble(e) == 0 ? 1 : 0;
            }
            assertTrue(zeros > want.length / 10 && zeros < want.length * 9 / 10, "relu clamps some outputs: " + zeros);
        }
    }

    @Test
    void replaysFromItsJsonSteps() {
        for (boolean biasRelu : new boolean[]{false, true}) {
            State s = Conv2dBiasReluSchedule.schedule(Conv2dBiasReluSchedule.declare(1, 56, 56, 64, 64, 3, 1, 1, biasRelu));
            State r = StepJson.replay(Conv2dBiasReluSchedule.declare(1, 56, 56, 64, 64, 3, 1, 1, biasRelu), StepJson.write(s));
            assertEquals(s.toString(), r.toString());
            assertEquals(Build.build(s, "x").source(), Build.build(r, "x").source());
        }
    }

    private static float[] directConv(float[] x, float[] w, int h, int wd, int ci, int co) {
        float[] out = new float[h * wd * co];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < wd; xx++) {
                for (int ry = 0; ry < 3; ry++) {
                    int iy = y + ry - 1;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int rx = 0; rx < 3; rx++) {
                        int ix = xx + rx - 1;
                        if (ix < 0 || ix >= wd) {
                            continue;
                        }
                        for (int c = 0; c < ci; c++) {
                            float v = x[(iy * wd + ix) * ci + c];
                            int wb = ((ry * 3 + rx) * ci + c) * co;
                            int ob = (y * wd + xx) * co;
                            for (int o = 0; o < co; o++) {
                                out[ob + o] += v * w[wb + o];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
