package dev.lathe.runtime;

import dev.lathe.ir.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CCompilerTimeoutTest {
    /** A "compiler" that answers --version and otherwise starts a child that never finishes, as cc1 could. */
    private static Path hangingCompiler(Path dir) throws Exception {
        Path script = dir.resolve("hanging-cc");
        Files.writeString(script, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo "hanging-cc 1.0"; exit 0; fi
                tail -f /dev/null &
                wait
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void aCompilerThatDoesNotFinishIsKilledAtTheTimeout(@TempDir Path dir) throws Exception {
        CCompiler cc = new CCompiler(hangingCompiler(dir).toString(), List.of("-O1"), dir.resolve("cache"));
        var e = assertThrows(CompileTimeoutException.class, () -> cc.compile("int f(void) { return 1; }", 300));
        assertEquals(0.3, e.seconds(), 1e-9);
        assertTrue(Files.exists(e.source()), "the source is kept for the report");
        assertFalse(cc.isCached("int f(void) { return 1; }"));
    }

    @Test
    void aCompileErrorCarriesTheCompilerOutput(@TempDir Path dir) {
        CCompiler cc = new CCompiler(CCompiler.system().command(), CCompiler.DEFAULT_FLAGS, dir);
        var e = assertThrows(CompileException.class, () -> cc.compile("int f(void) { return undeclared_name; }", 60_000));
        assertTrue(e.compilerOutput().contains("undeclared_name"), e.compilerOutput());
    }

    @Test
    void aSecondCompileOfTheSameSourceHitsTheCache(@TempDir Path dir) {
        CCompiler cc = new CCompiler(CCompiler.system().command(), CCompiler.DEFAULT_FLAGS, dir);
        String src = "int f(void) { return 2; }";
        assertFalse(cc.isCached(src));
        Path lib = cc.compile(src, 60_000);
        assertTrue(cc.isCached(src));
        assertEquals(lib, cc.compile(src, 60_000));
    }

    @Test
    void wrapViewsExistingAlignedMemory() {
        MemorySegment seg = Arena.ofAuto().allocate(64 + 16, 64);
        NDArray a = NDArray.wrap(DType.FLOAT32, seg.asSlice(64, 16), 2, 2);
        a.setDouble(3, 5.0);
        assertEquals(5.0f, seg.get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 64 + 12));
        assertThrows(IllegalArgumentException.class, () -> NDArray.wrap(DType.FLOAT32, seg.asSlice(4, 16), 2, 2));
        assertThrows(IllegalArgumentException.class, () -> NDArray.wrap(DType.FLOAT32, seg.asSlice(64, 16), 3, 2));
    }
}
