package dev.lathe.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine kernels are tuned for: ISA features, cores, vector width and cache sizes.
 * Records are kept per target: a schedule tuned for one machine is not assumed best on another.
 */
public record Target(String name, Set<String> features, int cores, int vectorBytes, long l1Bytes, long l2Bytes,
                     long l3Bytes) {
    private static final List<String> KNOWN_FEATURES = List.of("avx512f", "avx512bw", "avx512vl", "avx2", "fma",
            "avx", "sse4_2");

    public Target {
        features = Set.copyOf(new TreeSet<>(features));
        if (!name.matches("[A-Za-z0-9_.+-]{1,64}")) {
            throw new IllegalArgumentException("target name '" + name + "' must be 1-64 letters, digits or _.+-");
        }
    }

    /** The host machine, detected from {@code /proc/cpuinfo} and sysfs. */
    public static Target host() {
        Set<String> features = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    for (String f : KNOWN_FEATURES) {
                        if (flags.contains(f)) {
                            features.add(f);
                        }
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cpuinfo: a generic target.
        }
        int vector = features.contains("avx512f") ? 64 : features.contains("avx2") ? 32 : 16;
        String name = "llvm-like-x86_64-" + (vector == 64 ? "avx512" : vector == 32 ? "avx2" : "sse");
        return new Target(name.replace("llvm-like-", ""), features, Runtime.getRuntime().availableProcessors(), vector,
                cache(1, 48 << 10), cache(2, 1 << 20), cache(3, 32 << 20));
    }

    private static long cache(int level, long fallback) {
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        try (var entries = Files.list(dir)) {
            for (Path index : entries.toList()) {
                String lvl = Files.readString(index.resolve("level")).trim();
                String type = Files.readString(index.resolve("type")).trim();
                if (lvl.equals(Integer.toString(level)) && !type.equals("Instruction")) {
                    String size = Files.readString(index.resolve("size")).trim();
                    long mult = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1 << 20 : 1;
                    return Long.parseLong(size.replaceAll("[^0-9]", "")) * mult;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to the default.
        }
        return fallback;
    }

    /** Float32 lanes of one vector register. */
    public int lanesF32() {
        return vectorBytes / 4;
    }
}
