package dev.lathe.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Loads kernel libraries and binds their entry points through FFM. */
final class NativeLibraries {
    /** {@code int32_t entry(void* const* args, const int64_t* sizes)}. */
    static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    static {
        // A kernel library links libgomp; if unloading a kernel dropped the last reference to libgomp
        // while its idle worker threads live, the process would crash. Keep it loaded for the JVM's lifetime.
        try {
            SymbolLookup.libraryLookup("libgomp.so.1", Arena.global());
        } catch (IllegalArgumentException noOpenMp) {
            // Not installed: kernels built without OpenMP still load.
        }
    }

    private NativeLibraries() {
    }

    /** A bound entry point; it keeps its library loaded for as long as it is reachable. */
    record Entry(MemorySegment symbol, MethodHandle handle) {
    }

    static Entry bind(Path library, String symbol) {
        Arena arena = Arena.ofAuto();
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, arena);
        } catch (IllegalArgumentException e) {
            throw new LatheException("cannot load kernel library " + library + ": " + e.getMessage()
                    + " (was it built for this machine?)", e);
        }
        MemorySegment fn = lookup.find(symbol).orElseThrow(() ->
                new LatheException("kernel library " + library + " has no function '" + symbol + "'"));
        return new Entry(fn, Linker.nativeLinker().downcallHandle(fn, ENTRY));
    }
}
