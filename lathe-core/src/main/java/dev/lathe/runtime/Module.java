package dev.lathe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Var;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A compiled kernel ready to run on NDArrays. Every call checks the arrays against the
 * parameters (count, dtype, shape, size variables) before any native code runs, and turns a
 * fault the kernel reports into an exception.
 */
public final class Module {
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tensor parameter: inputs come first, then outputs. */
    public record Param(String name, DType dtype, List<Expr> shape, boolean output) {
        public Param {
            shape = List.copyOf(shape);
        }
    }

    private final String name;
    private final String entry;
    private final List<Param> params;
    private final List<Var> sizeVars;
    private final String source;
    private final List<String> checkedSites;
    private final Path library;
    private final NativeLibraries.Entry bound;
    private volatile int threads;

    public Module(String name, String entry, List<Param> params, List<Var> sizeVars, String source,
                  List<String> checkedSites, Path library) {
        this.name = name;
        this.entry = entry;
        this.params = List.copyOf(params);
        this.sizeVars = List.copyOf(sizeVars);
        this.source = source;
        this.checkedSites = List.copyOf(checkedSites);
        this.library = library;
        this.bound = NativeLibraries.bind(library, entry);
    }

    public String name() {
        return name;
    }

    public List<Param> params() {
        return params;
    }

    public List<Var> sizeVars() {
        return sizeVars;
    }

    /** The generated C source. */
    public String source() {
        return source;
    }

    public Path library() {
        return library;
    }

    /**
     * The number of threads the kernel's parallel loops run on from the next call on; 0 (the
     * initial value) leaves it to OpenMP ({@code OMP_NUM_THREADS}, else one per core).
     */
    public void setThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("thread count must be 0 (the default) or positive, got " + n);
        }
        if (n != 0 && bound.setThreads() == null) {
            throw new LatheException("kernel library " + library + " of " + name + " has no " + NativeLibraries.SET_THREADS
                    + "; it was built by an older Lathe and always uses OpenMP's default thread count");
        }
        threads = n;
    }

    /** The thread count set with {@link #setThreads}; 0 for OpenMP's default. */
    public int threads() {
        return threads;
    }

    /** Runs the kernel; size variables are bound from the arrays' shapes. */
    public void call(NDArray... args) {
        call(Map.of(), args);
    }

    /** Runs the kernel with some size variables given by name (those no argument's shape determines). */
    public void call(Map<String, Long> sizes, NDArray... args) {
        long[] values = bindSizes(sizes, args);
        checkNoOverlap(args);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.length));
            for (int i = 0; i < args.length; i++) {
                argv.setAtIndex(ValueLayout.ADDRESS, i, args[i].segment());
            }
            MemorySegment sizev = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, values.length));
            for (int i = 0; i < values.length; i++) {
                sizev.setAtIndex(ValueLayout.JAVA_LONG, i, values[i]);
            }
            if (bound.setThreads() != null) {
                // Set on every call: modules built from the same source share one loaded library and its setting.
                bound.setThreads().invokeExact(threads);
            }
            int code = (int) bound.handle().invokeExact(argv, sizev);
            if (code != 0) {
                throw fault(code);
            }
        } catch (LatheException e) {
            throw e;
        } catch (Throwable t) {
            throw new LatheException("calling kernel " + name + " failed: " + t, t);
        }
    }

    /**
     * The kernel bound to these arrays, checked once as {@link #call} checks them: each
     * {@link BoundCall#call()} then runs the kernel with no per-call checks or allocation (what a
     * timing loop wants). The arrays must stay alive and unchanged in shape while it is used.
     */
    public BoundCall bind(NDArray... args) {
        long[] values = bindSizes(Map.of(), args);
        checkNoOverlap(args);
        Arena arena = Arena.ofAuto();
        MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.length));
        for (int i = 0; i < args.length; i++) {
            argv.setAtIndex(ValueLayout.ADDRESS, i, args[i].segment());
        }
        MemorySegment sizev = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, values.length));
        for (int i = 0; i < values.length; i++) {
            sizev.setAtIndex(ValueLayout.JAVA_LONG, i, values[i]);
        }
        return new BoundCall(args.clone(), argv, sizev);
    }

    /** A kernel call with its arguments bound (see {@link #bind}). */
    public final class BoundCall {
        private final NDArray[] args; // kept reachable while the call may run
        private final MemorySegment argv;
        private final MemorySegment sizev;

        private BoundCall(NDArray[] args, MemorySegment argv, MemorySegment sizev) {
            this.args = args;
            this.argv = argv;
            this.sizev = sizev;
        }

        /** Runs the kernel once; a fault it reports is a {@link KernelFaultException}. */
        public void call() {
            int code;
            try {
                if (bound.setThreads() != null) {
                    bound.setThreads().invokeExact(threads);
                }
                code = (int) bound.handle().invokeExact(argv, sizev);
            } catch (Throwable t) {
                throw new LatheException("calling kernel " + name + " failed: " + t, t);
            }
            if (code != 0) {
                throw fault(code);
            }
        }
    }

    private long[] bindSizes(Map<String, Long> given, NDArray[] args) {
        if (args.length != params.size()) {
            throw new KernelArgumentException("kernel " + name + " takes " + params.size() + " arrays ("
                    + signature() + "), got " + args.length);
        }
        Map<Var, Long> env = new HashMap<>();
        for (Map.Entry<String, Long> g : given.entrySet()) {
            Var v = sizeVars.stream().filter(s -> s.name().equals(g.getKey())).findFirst().orElseThrow(() ->
                    new KernelArgumentException("kernel " + name + " has no size variable '" + g.getKey() + "'; its size "
                            + "variables are " + sizeVars.stream().map(Var::name).toList()));
            env.put(v, g.getValue());
        }
        for (int i = 0; i < args.length; i++) {
            Param p = params.get(i);
            NDArray a = args[i];
            if (a == null) {
                throw new KernelArgumentException("argument " + i + " (" + p.name() + ") of kernel " + name + " is null");
            }
            if (a.dtype() != p.dtype()) {
                throw new KernelArgumentException("argument " + i + " (" + p.name() + ") of kernel " + name + " must be "
                        + p.dtype() + ", got " + a.dtype());
            }
            if (a.ndim() != p.shape().size()) {
                throw new KernelArgumentException("argument " + i + " (" + p.name() + ") of kernel " + name + " must have "
                        + p.shape().size() + " dimensions " + p.shape() + ", got shape " + Arrays.toString(a.shape()));
            }
            for (int d = 0; d < a.ndim(); d++) {
                if (p.shape().get(d) instanceof Var v) {
                    Long prev = env.putIfAbsent(v, a.dim(d));
                    if (prev != null && prev != a.dim(d)) {
                        throw new KernelArgumentException("size variable " + v.name() + " is " + prev + " but argument "
                                + i + " (" + p.name() + ") has " + a.dim(d) + " in dimension " + d);
                    }
                }
            }
        }
        long[] values = new long[sizeVars.size()];
        for (int s = 0; s < values.length; s++) {
            Long v = env.get(sizeVars.get(s));
            if (v == null) {
                throw new KernelArgumentException("size variable " + sizeVars.get(s).name() + " of kernel " + name
                        + " is not bound: no argument's shape gives it directly; pass it by name with "
                        + "call(Map.of(\"" + sizeVars.get(s).name() + "\", value), ...)");
            }
            values[s] = v;
        }
        for (int i = 0; i < args.length; i++) {
            Param p = params.get(i);
            for (int d = 0; d < args[i].ndim(); d++) {
                long expected = ShapeEval.eval(p.shape().get(d), env);
                if (expected != args[i].dim(d)) {
                    throw new KernelArgumentException("argument " + i + " (" + p.name() + ") of kernel " + name
                            + " must have shape " + describe(p.shape(), env) + ", got " + Arrays.toString(args[i].shape()));
                }
            }
        }
        return values;
    }

    private static String describe(List<Expr> shape, Map<Var, Long> env) {
        return shape.stream().map(e -> {
            long v = ShapeEval.eval(e, env);
            return e instanceof dev.lathe.ir.IntImm ? Long.toString(v) : e + "=" + v;
        }).collect(Collectors.joining(", ", "[", "]"));
    }

    private void checkNoOverlap(NDArray[] args) {
        for (int o = 0; o < args.length; o++) {
            if (!params.get(o).output()) {
                continue;
            }
            for (int i = 0; i < args.length; i++) {
                if (i != o && overlaps(args[o].segment(), args[i].segment())) {
                    throw new KernelArgumentException("output " + params.get(o).name() + " shares memory with argument "
                            + params.get(i).name() + "; kernels need distinct output arrays");
                }
            }
        }
    }

    private static boolean overlaps(MemorySegment a, MemorySegment b) {
        long a0 = a.address();
        long b0 = b.address();
        return a0 < b0 + b.byteSize() && b0 < a0 + a.byteSize();
    }

    private KernelFaultException fault(int code) {
        String what = switch (code) {
            case 1 -> "integer division or modulo by zero";
            case 2 -> "out of memory allocating an intermediate buffer";
            default -> {
                int site = code - 100;
                yield site >= 0 && site < checkedSites.size()
                        ? "index out of bounds in the " + checkedSites.get(site)
                        + "; the index comes from tensor data — check the index arrays passed in"
                        : "unknown fault code " + code;
            }
        };
        return new KernelFaultException(code, "kernel " + name + " stopped: " + what);
    }

    /** The parameters as text, e.g. {@code A: float32[n, 64], B: float32[64, 32]}. */
    public String signature() {
        return params.stream().map(p -> p.name() + ": " + p.dtype() + p.shape()).collect(Collectors.joining(", "));
    }

    // ---- export and load

    /** Writes the library, its C source and a {@code module.json} describing the parameters into {@code dir}. */
    public void export(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.copy(library, dir.resolve(name + ".so"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve(name + ".c"), source);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT_VERSION);
            root.put("name", name);
            root.put("entry", entry);
            ArrayNode vars = root.putArray("sizeVars");
            sizeVars.forEach(v -> vars.add(v.name()));
            ArrayNode ps = root.putArray("params");
            for (Param p : params) {
                ObjectNode o = ps.addObject();
                o.put("name", p.name());
                o.put("dtype", p.dtype().label());
                o.put("output", p.output());
                ArrayNode shape = o.putArray("shape");
                p.shape().forEach(e -> shape.add(ShapeJson.write(e)));
            }
            ArrayNode sites = root.putArray("checkedSites");
            checkedSites.forEach(sites::add);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("module.json").toFile(), root);
        } catch (IOException e) {
            throw new LatheException("could not export module " + name + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a module exported by {@link #export}; no C compiler is needed. */
    public static Module load(Path dir) {
        Path meta = dir.resolve("module.json");
        JsonNode root;
        try {
            root = JSON.readTree(meta.toFile());
        } catch (IOException e) {
            throw new LatheException("cannot read " + meta + ": " + e.getMessage()
                    + " (is this a directory written by Module.export?)", e);
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT_VERSION) {
            throw new LatheException(meta + " has format " + format + "; this Lathe reads format " + FORMAT_VERSION);
        }
        String name = root.get("name").asText();
        Map<String, Var> vars = new LinkedHashMap<>();
        for (JsonNode v : root.get("sizeVars")) {
            vars.put(v.asText(), Var.of(v.asText()));
        }
        List<Param> params = new ArrayList<>();
        for (JsonNode p : root.get("params")) {
            List<Expr> shape = new ArrayList<>();
            for (JsonNode d : p.get("shape")) {
                shape.add(ShapeJson.read(d, vars));
            }
            params.add(new Param(p.get("name").asText(), DType.fromLabel(p.get("dtype").asText()), shape,
                    p.get("output").asBoolean()));
        }
        List<String> sites = new ArrayList<>();
        root.path("checkedSites").forEach(s -> sites.add(s.asText()));
        String source;
        try {
            Path c = dir.resolve(name + ".c");
            source = Files.exists(c) ? Files.readString(c) : "";
        } catch (IOException e) {
            source = "";
        }
        return new Module(name, root.get("entry").asText(), params, new ArrayList<>(vars.values()), source, sites,
                dir.resolve(name + ".so"));
    }
}
