package dev.lathe.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system C compiler ({@code CC}, default {@code cc}) turning generated C into shared
 * libraries, cached by a hash of source, flags, compiler and host CPU so that an unchanged
 * kernel is compiled once.
 */
public final class CCompiler {
    /**
     * {@code -fno-unswitch-loops}: GCC 12 (seen with 12.2, {@code -O3} and AVX) miscompiles a loop
     * nest whose inner body reads under a condition on both an outer and an inner iterator (the
     * padding stage of a convolution): it unswitches on the outer condition, vectorizes the inner
     * loop with masked loads and drops some of the elements the condition selects. Generated
     * kernels gain little from unswitching, so it is off. Clang ignores the flag with a warning.
     * {@code -fno-tree-loop-if-convert}: the same GCC on AVX-512 if-converts a select between a
     * product and a plain read ({@code x < 0 ? x * s : x}, a PReLU) into masked vector code that
     * stores -0.0 in some lanes. Lathe vectorizes its own loops with explicit vector types, so
     * if-conversion only served loops the schedule left scalar.
     */
    public static final List<String> DEFAULT_FLAGS = List.of("-O3", "-march=native", "-fno-unswitch-loops",
            "-fno-tree-loop-if-convert", "-fopenmp", "-shared", "-fPIC");
    private static final long TIMEOUT_MILLIS = 300_000;

    private final String command;
    private final List<String> flags;
    private final Path cacheDir;
    private volatile String identity;

    public CCompiler(String command, List<String> flags, Path cacheDir) {
        this.command = command;
        this.flags = List.copyOf(flags);
        this.cacheDir = cacheDir;
    }

    /** The compiler named by {@code CC} (default {@code cc}), default flags, cache in {@code LATHE_CACHE_DIR} or {@code ~/.cache/lathe}. */
    public static CCompiler system() {
        String cc = System.getenv().getOrDefault("CC", "cc");
        return new CCompiler(cc.isBlank() ? "cc" : cc, DEFAULT_FLAGS, defaultCacheDir());
    }

    public static Path defaultCacheDir() {
        String env = System.getenv("LATHE_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "lathe");
    }

    public String command() {
        return command;
    }

    public List<String> flags() {
        return flags;
    }

    /** Compiles a source into a shared library (or finds it in the cache) and returns its path. */
    public Path compile(String source) {
        return compile(source, TIMEOUT_MILLIS);
    }

    /**
     * As {@link #compile(String)}, killing the compiler (and the processes it started) when it
     * runs longer than {@code timeoutMillis}: then a {@link CompileTimeoutException}.
     */
    public Path compile(String source, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("compile timeout must be positive, got " + timeoutMillis + " ms");
        }
        Path lib = cachedPath(source);
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        String key = lib.getFileName().toString().substring(1, 33);
        try {
            Files.createDirectories(cacheDir);
            Path src = cacheDir.resolve("k" + key.substring(0, 32) + ".c");
            Files.writeString(src, source);
            Path tmp = Files.createTempFile(cacheDir, "build-", ".so");
            List<String> cmd = new ArrayList<>();
            cmd.add(command);
            cmd.addAll(flags);
            cmd.addAll(List.of("-o", tmp.toString(), src.toString(), "-lm"));
            Run r = run(cmd, timeoutMillis);
            if (r.timedOut) {
                Files.deleteIfExists(tmp);
                throw new CompileTimeoutException(src, timeoutMillis / 1000.0);
            }
            if (r.exit != 0) {
                Files.deleteIfExists(tmp);
                throw new CompileException(src, r.output);
            }
            try {
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            return lib;
        } catch (IOException e) {
            throw new LatheException("could not write the kernel cache in " + cacheDir
                    + " (set LATHE_CACHE_DIR to a writable directory): " + e.getMessage(), e);
        }
    }

    /** Whether the library of this source is in the cache (compiling it would not run the compiler). */
    public boolean isCached(String source) {
        return Files.isRegularFile(cachedPath(source));
    }

    private Path cachedPath(String source) {
        String key = hash(source + "\n" + String.join(" ", flags) + "\n" + identity() + "\n" + HostCpu.signature());
        return cacheDir.resolve("k" + key.substring(0, 32) + ".so");
    }

    /** The compiler's version line; running it also checks that it exists. */
    public String identity() {
        String id = identity;
        if (id == null) {
            Run r;
            try {
                r = run(List.of(command, "--version"), TIMEOUT_MILLIS);
            } catch (IOException e) {
                throw notFound(e);
            }
            if (r.timedOut || r.exit != 0) {
                throw notFound(new IOException(r.timedOut ? "'" + command + " --version' did not finish" : r.output));
            }
            id = r.output.lines().findFirst().orElse(command);
            identity = id;
        }
        return id;
    }

    private CompilerNotFoundException notFound(IOException cause) {
        return new CompilerNotFoundException("no C compiler found: could not run '" + command + "' (" + cause.getMessage()
                + "). Install gcc or clang with OpenMP, or set CC to the compiler's path. A module exported earlier "
                + "can still be loaded without a compiler (Module.load).", cause);
    }

    private record Run(int exit, String output, boolean timedOut) {
    }

    /**
     * Runs a command with its output going to a temporary file (a pipe could fill and block
     * it), waiting at most {@code timeoutMillis}; on timeout it is killed with its descendants
     * (the driver {@code gcc} runs {@code cc1}, {@code as}, {@code ld}).
     */
    private static Run run(List<String> cmd, long timeoutMillis) throws IOException {
        Path log = Files.createTempFile("lathe-cc-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    killTree(p);
                    return new Run(-1, Files.readString(log, StandardCharsets.UTF_8), true);
                }
                return new Run(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8), false);
            } catch (InterruptedException e) {
                killTree(p);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + cmd.getFirst(), e);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
