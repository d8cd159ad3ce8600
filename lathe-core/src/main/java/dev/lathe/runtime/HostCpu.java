package dev.lathe.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What identifies the host CPU for caching code built with {@code -march=native}. */
final class HostCpu {
    private static final String SIGNATURE = read();

    private HostCpu() {
    }

    static String signature() {
        return SIGNATURE;
    }

    private static String read() {
        try {
            StringBuilder sb = new StringBuilder(System.getProperty("os.arch"));
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") || line.startsWith("flags")) {
                    sb.append('\n').append(line);
                    if (line.startsWith("flags")) {
                        break;
                    }
                }
            }
            return CCompiler.hash(sb.toString());
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
