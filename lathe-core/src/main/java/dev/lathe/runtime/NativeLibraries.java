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

    /** {@code void lathe_set_threads(int n)}: the thread count of the library's parallel loops, 0 for the default. */
    static final String SET_THREADS = "lathe_set_threads";
    static final FunctionDescriptor SET_THREADS_TYPE = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT);

    /**
     * A bound entry point; it keeps its library loaded for as long as it is reachable.
     * {@code setThreads} is null for a library built before kernels took a thread count.
     */
    record Entry(MemorySegment symbol, MethodHandle handle, MethodHandle setThreads) {
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
        Linker linker = Linker.nativeLinker();
        MethodHandle setThreads = lookup.find(SET_THREADS).map(f -> linker.downcallHandle(f, SET_THREADS_TYPE))
                .orElse(null);
        return new Entry(fn, linker.downcallHandle(fn, ENTRY), setThreads);
    }
}
