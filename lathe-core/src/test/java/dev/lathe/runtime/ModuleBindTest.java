package dev.lathe.runtime;

import dev.lathe.build.Build;
import dev.lathe.ir.DType;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.*;

class ModuleBindTest {
    @Test
    void aBoundCallRunsTheKernelOnItsArraysAndChecksThemOnce() {
        Tensor a = placeholder(List.of(4), DType.FLOAT32, "A");
        Tensor b = compute(List.of(4), i -> a.get(i).mul(2.0f), "B");
        Module m = Build.build(ComputeDag.of(b), "twice");
        NDArray x = NDArray.of(new float[]{1, 2, 3, 4}, 4);
        NDArray y = NDArray.zeros(DType.FLOAT32, 4);
        Module.BoundCall call = m.bind(x, y);
        call.call();
        assertArrayEquals(new float[]{2, 4, 6, 8}, y.toFloatArray());
        x.setDouble(0, 10);
        call.call();
        assertEquals(20f, y.toFloatArray()[0]);
        assertThrows(KernelArgumentException.class, () -> m.bind(x, NDArray.zeros(DType.FLOAT32, 5)));
        assertThrows(KernelArgumentException.class, () -> m.bind(x, x));
    }

    @Test
    void aBoundCallReportsKernelFaults() {
        Tensor idx = placeholder(List.of(2), DType.INT32, "idx");
        Tensor t = placeholder(List.of(3), DType.FLOAT32, "T");
        Tensor g = compute(List.of(2), i -> t.get(idx.get(i).cast(DType.INT64)), "G");
        Module m = Build.build(ComputeDag.of(g), "gather");
        Module.BoundCall call = m.bind(NDArray.of(new int[]{0, 3}, 2), NDArray.zeros(DType.FLOAT32, 3),
                NDArray.zeros(DType.FLOAT32, 2));
        var e = assertThrows(KernelFaultException.class, call::call);
        assertTrue(e.getMessage().contains("index out of bounds"), e.getMessage());
    }
}
