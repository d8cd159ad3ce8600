package dev.lathe.codegen;

import dev.lathe.ir.DType;
import dev.lathe.runtime.CCompiler;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.PrimFunc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.lathe.te.Te.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Proof that a vectorized loop becomes SIMD instructions on full-width registers, read from the compiler's assembly. */
class VectorAssemblyTest {
    @Test
    void vectorizedAddUsesFullWidthVectorInstructions(@TempDir Path dir) throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "the instruction check is written for x86-64");
        Tensor a = placeholder(List.of(1024), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(1024), DType.FLOAT32, "B");
        ComputeDag dag = ComputeDag.of(compute(List.of(1024), i -> a.get(i).add(b.get(i)), "C"));
        VectorTarget target = VectorTarget.host();
        PrimFunc f = Kernels.lower(dag, "vadd", "i", ForKind.VECTORIZED);
        CodegenC.Source src = CodegenC.generate(f, target);
        String type = "lathe_f32x" + target.lanes(DType.FLOAT32);
        assertTrue(src.text().contains("typedef float " + type + " __attribute__((vector_size(" + target.vectorBytes() + ")))"),
                src.text());
        assertTrue(src.text().contains("lathe_load_f32x" + target.lanes(DType.FLOAT32) + "(&A[i])"), src.text());

        String asm = assembly(src.text(), dir);
        String entry = function(asm, src.entry());
        String reg = switch (target.vectorBytes()) {
            case 64 -> "zmm";
            case 32 -> "ymm";
            default -> "xmm";
        };
        assertTrue(Pattern.compile("\\bvaddps\\b[^\\n]*%" + reg).matcher(entry).find(),
                "no vaddps on " + reg + " registers in\n" + entry);
        // The main loop has no scalar add: 1024 is a multiple of every lane count, so there is no tail either.
        assertFalse(Pattern.compile("\\bvaddss\\b").matcher(entry).find(), "a scalar add is left in\n" + entry);
    }

    /** The compiler's assembly for a C source, with the flags kernels are built with (-S instead of -shared). */
    private static String assembly(String source, Path dir) throws IOException, InterruptedException {
        CCompiler cc = CCompiler.system();
        Path c = dir.resolve("kernel.c");
        Path s = dir.resolve("kernel.s");
        Files.writeString(c, source);
        List<String> cmd = new ArrayList<>();
        cmd.add(cc.command());
        cc.flags().stream().filter(flag -> !flag.equals("-shared")).forEach(cmd::add);
        cmd.addAll(List.of("-S", "-o", s.toString(), c.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no C compiler to produce assembly: " + e.getMessage());
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "compiler did not finish");
        assumeTrue(p.exitValue() == 0 || !output.contains("-S"), "the compiler cannot write assembly: " + output);
        assertEquals(0, p.exitValue(), output);
        return Files.readString(s);
    }

    /** The text of one function in GNU assembler output. */
    private static String function(String asm, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\n").matcher(asm);
        assertTrue(m.find(), "no function " + name + " in the assembly");
        int end = asm.indexOf(".size\t" + name, m.end());
        return asm.substring(m.end(), end < 0 ? asm.length() : end);
    }
}
