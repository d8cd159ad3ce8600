package dev.lathe.codegen;

import dev.lathe.ir.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the code generator needs to know about the CPU's SIMD unit: the width of one vector
 * register. Kernels are compiled with {@code -march=native}, so the host's widest vector is the
 * one to use.
 *
 * @param vectorBytes bytes in one vector register: 64 (AVX-512), 32 (AVX2), 16 (SSE, NEON)
 */
public record VectorTarget(int vectorBytes) {
    public static final VectorTarget AVX512 = new VectorTarget(64);
    public static final VectorTarget AVX2 = new VectorTarget(32);
    public static final VectorTarget SSE = new VectorTarget(16);

    private static final VectorTarget HOST = detect();

    public VectorTarget {
        if (vectorBytes < 8 || Integer.bitCount(vectorBytes) != 1) {
            throw new IllegalArgumentException("vector width must be a power of two of at least 8 bytes, got " + vectorBytes);
        }
    }

    /** The machine this JVM runs on. */
    public static VectorTarget host() {
        return HOST;
    }

    /** How many elements of {@code t} fill one vector register. */
    public int lanes(DType t) {
        return Math.max(1, vectorBytes / t.bytes());
    }

    /** The target for a set of CPU feature flags, as {@code /proc/cpuinfo} lists them. */
    static VectorTarget fromCpuFlags(Set<String> flags) {
        if (flags.contains("avx512f")) {
            return AVX512;
        }
        if (flags.contains("avx2")) {
            return AVX2;
        }
        return SSE;
    }

    private static VectorTarget detect() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    String list = line.substring(line.indexOf(':') + 1).trim();
                    return fromCpuFlags(Set.copyOf(List.of(list.split("\\s+"))));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cpuinfo (not Linux, or not x86): 16 bytes is the one width every SIMD unit has.
        }
        return SSE;
    }
}
