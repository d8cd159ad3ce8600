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
     */
    public static final List<String> DEFAULT_FLAGS = List.of("-O3", "-march=native", "-fno-unswitch-loops", "-fopenmp",
            "-shared", "-fPIC");
    private static final long TIMEOUT_SECONDS = 300;

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
        String key = hash(source + "\n" + String.join(" ", flags) + "\n" + identity() + "\n" + HostCpu.signature());
        Path lib = cacheDir.resolve("k" + key.substring(0, 32) + ".so");
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        try {
            Files.createDirectories(cacheDir);
            Path src = cacheDir.resolve("k" + key.substring(0, 32) + ".c");
            Files.writeString(src, source);
            Path tmp = Files.createTempFile(cacheDir, "build-", ".so");
            List<String> cmd = new ArrayList<>();
            cmd.add(command);
            cmd.addAll(flags);
            cmd.addAll(List.of("-o", tmp.toString(), src.toString(), "-lm"));
            Run r = run(cmd);
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

    /** The compiler's version line; running it also checks that it exists. */
    public String identity() {
        String id = identity;
        if (id == null) {
            Run r;
            try {
                r = run(List.of(command, "--version"));
            } catch (IOException e) {
                throw notFound(e);
            }
            if (r.exit != 0) {
                throw notFound(new IOException(r.output));
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

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", cmd) + "' did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Run(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.getFirst(), e);
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
