package dev.lathe.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.runtime.KernelFaultException;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.runtime.Npy;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measuring process: reads one JSON request per line on stdin, loads the candidate's
 * library, runs it and answers one JSON line on stdout. Started by {@link ProcessRunner}; a
 * candidate that crashes takes only this process down.
 *
 * <p>Every array the kernel sees lies between two guard zones of {@value #GUARD_BYTES} bytes
 * filled with a canary pattern; after the runs the zones are compared with the pattern and the
 * inputs with their original values, so a kernel that writes outside its outputs is reported
 * as MEMORY_CORRUPTION rather than silently timed.
 *
 * <p>Request: {@code {"id", "op": "run"|"reference", "library", "entry", "name", "threads",
 * "params": [{"name", "dtype", "shape", "output", "file"}], "checkedSites", "number", "repeat",
 * "minRepeatMs", "slowSeconds", "flushBytes", "check"}}: {@code file} is the .npy of an input's values or of an
 * output's expected values (null: not checked); for {@code "reference"} it is where the output
 * is written; a first run longer than {@code slowSeconds} (when > 0) is the only cost reported.
 * Answer: {@code {"id", "error", "message", "costs"}}.
 */
public final class Worker {
    static final int GUARD_BYTES = 4096;
    static final byte CANARY = (byte) 0xA5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MemorySegment PATTERN = Arena.global().allocate(GUARD_BYTES).fill(CANARY);
    private static final int CACHED_FILES = 32;
    private static final int WARMUP_CALLS = 20_000;
    private static final long WARMUP_MS = 20;

    /** Loaded .npy files by path: inputs are shared by every candidate of a task. */
    private final Map<String, NDArray> files = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NDArray> eldest) {
            return size() > CACHED_FILES;
        }
    };
    private MemorySegment flush = MemorySegment.NULL;

    private Worker() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but answers on the protocol stream
        Worker w = new Worker();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        protocol.println("{\"ready\":true}");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode answer = JSON.createObjectNode();
            try {
                JsonNode req = JSON.readTree(line);
                answer.put("id", req.path("id").asLong());
                w.handle(req, answer);
            } catch (Throwable t) {
                answer.put("error", ErrorKind.UNKNOWN.name());
                answer.put("message", "worker: " + t);
            }
            protocol.println(JSON.writeValueAsString(answer));
        }
    }

    /** A guarded array: the kernel's view and the whole allocation with its guard zones. */
    private record Guarded(String name, NDArray array, MemorySegment whole, long dataBytes) {
        MemorySegment before() {
            return whole.asSlice(0, GUARD_BYTES);
        }

        MemorySegment after() {
            return whole.asSlice(GUARD_BYTES + dataBytes, GUARD_BYTES);
        }
    }

    private static Guarded guarded(Arena arena, String name, DType dtype, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        long bytes = n * dtype.bytes();
        MemorySegment whole = arena.allocate(2L * GUARD_BYTES + bytes, NDArray.ALIGNMENT);
        whole.fill(CANARY);
        return new Guarded(name, NDArray.wrap(dtype, whole.asSlice(GUARD_BYTES, bytes), shape), whole, bytes);
    }

    private void handle(JsonNode req, ObjectNode answer) throws Exception {
        boolean reference = req.path("op").asText("run").equals("reference");
        List<Module.Param> params = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (JsonNode p : req.get("params")) {
            long[] shape = new long[p.get("shape").size()];
            List<Expr> dims = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) {
                shape[d] = p.get("shape").get(d).asLong();
                dims.add(IntImm.of(shape[d]));
            }
            shapes.add(shape);
            params.add(new Module.Param(p.get("name").asText(), DType.fromLabel(p.get("dtype").asText()), dims,
                    p.get("output").asBoolean()));
        }
        List<String> sites = new ArrayList<>();
        req.path("checkedSites").forEach(s -> sites.add(s.asText()));
        Module m = new Module(req.get("name").asText(), req.get("entry").asText(), params, List.of(), "", sites,
                Path.of(req.get("library").asText()));
        m.setThreads(req.path("threads").asInt(0));

        try (Arena arena = Arena.ofConfined()) {
            List<Guarded> args = new ArrayList<>();
            List<NDArray> originals = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                Module.Param p = params.get(i);
                JsonNode spec = req.get("params").get(i);
                Guarded g = guarded(arena, p.name(), p.dtype(), shapes.get(i));
                NDArray file = spec.hasNonNull("file") && !(p.output() && reference) ? load(spec.get("file").asText())
                        : null;
                if (!p.output()) {
                    if (file == null) {
                        throw new IllegalArgumentException("no values for input " + p.name());
                    }
                    MemorySegment.copy(file.segment(), 0, g.array().segment(), 0, g.dataBytes());
                } else {
                    g.array().segment().fill((byte) 0xFF); // NaN / -1: an element never written is caught
                }
                originals.add(file); // an input's values, an output's expected values (or null)
                args.add(g);
            }
            NDArray[] call = args.stream().map(Guarded::array).toArray(NDArray[]::new);
            Module.BoundCall kernel = m.bind(call);

            // The first run: warms up, and its outputs are checked.
            long first0 = System.nanoTime();
            if (!run(kernel, answer)) {
                return;
            }
            double firstSeconds = (System.nanoTime() - first0) / 1e9;
            if (!intact(args, params, originals, answer)) {
                return;
            }
            if (reference) {
                for (int i = 0; i < params.size(); i++) {
                    if (params.get(i).output()) {
                        Npy.write(call[i], Path.of(req.get("params").get(i).get("file").asText()));
                    }
                }
                answer.put("error", ErrorKind.NONE.name());
                answer.putArray("costs");
                return;
            }
            if (req.path("check").asBoolean(false)) {
                for (int i = 0; i < params.size(); i++) {
                    if (params.get(i).output() && originals.get(i) != null) {
                        String diff = compare(params.get(i).name(), call[i], originals.get(i));
                        if (diff != null) {
                            answer.put("error", ErrorKind.WRONG_ANSWER.name());
                            answer.put("message", diff);
                            return;
                        }
                    }
                }
            }

            // A program far slower than the search's best is reported by its first run alone: the
            // repeats would cost seconds to learn only that it is slow.
            double slowSeconds = req.path("slowSeconds").asDouble(0);
            if (slowSeconds > 0 && firstSeconds > slowSeconds) {
                if (!intact(args, params, originals, answer)) {
                    return;
                }
                answer.put("error", ErrorKind.NONE.name());
                answer.putArray("costs").add(firstSeconds);
                return;
            }

            // Warm up this JVM's call path (interpreted at first) on short kernels: up to WARMUP_CALLS or WARMUP_MS.
            long w0 = System.nanoTime();
            for (int i = 0; i < WARMUP_CALLS && System.nanoTime() - w0 < WARMUP_MS * 1_000_000L; i++) {
                if (!run(kernel, answer)) {
                    return;
                }
            }
            int number = req.path("number").asInt(1);
            int repeat = req.path("repeat").asInt(1);
            double minRepeatMs = req.path("minRepeatMs").asDouble(0);
            long flushBytes = req.path("flushBytes").asLong(0);
            ArrayNode costs = JSON.createArrayNode();
            for (int r = 0; r < repeat; r++) {
                double seconds;
                while (true) {
                    flush(flushBytes, r);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < number; i++) {
                        if (!run(kernel, answer)) {
                            return;
                        }
                    }
                    long dt = System.nanoTime() - t0;
                    seconds = dt / 1e9 / number;
                    if (dt / 1e6 >= minRepeatMs) {
                        break;
                    }
                    double perRun = Math.max(dt, 1) / (double) number;
                    number = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(Math.ceil(minRepeatMs * 1e6 / perRun),
                            Math.ceil(number * 1.618)));
                }
                costs.add(seconds);
            }
            if (!intact(args, params, originals, answer)) {
                return;
            }
            answer.put("error", ErrorKind.NONE.name());
            answer.set("costs", costs);
        }
    }

    private NDArray load(String path) throws Exception {
        NDArray a = files.get(path);
        if (a == null) {
            a = Npy.read(Path.of(path));
            files.put(path, a);
        }
        return a;
    }

    private void flush(long bytes, int round) {
        if (bytes <= 0) {
            return;
        }
        if (flush.byteSize() < bytes) {
            flush = Arena.global().allocate(bytes, 64);
        }
        flush.fill((byte) round);
    }

    private static boolean run(Module.BoundCall kernel, ObjectNode answer) {
        try {
            kernel.call();
            return true;
        } catch (KernelFaultException e) {
            answer.put("error", ErrorKind.RUNTIME_ERROR.name());
            answer.put("message", e.getMessage());
            return false;
        } catch (RuntimeException e) {
            answer.put("error", ErrorKind.RUNTIME_ERROR.name());
            answer.put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        }
    }

    /** Checks the guard zones of every array and that inputs still hold their values. */
    private static boolean intact(List<Guarded> args, List<Module.Param> params, List<NDArray> originals,
                                  ObjectNode answer) {
        for (int i = 0; i < args.size(); i++) {
            Guarded g = args.get(i);
            String where = null;
            long before = firstMismatch(g.before());
            long after = firstMismatch(g.after());
            if (before >= 0) {
                where = "wrote up to " + (GUARD_BYTES - before) + " bytes before the start of " + g.name();
            } else if (after >= 0) {
                where = "wrote at byte " + after + " past the end of " + g.name() + " (" + g.dataBytes() + " bytes)";
            } else if (!params.get(i).output() && originals.get(i) != null
                    && MemorySegment.mismatch(g.array().segment(), 0, g.dataBytes(), originals.get(i).segment(), 0,
                    g.dataBytes()) >= 0) {
                where = "wrote into its input " + g.name();
            }
            if (where != null) {
                answer.put("error", ErrorKind.MEMORY_CORRUPTION.name());
                answer.put("message", "the kernel " + where + " (guard zones of " + GUARD_BYTES + " bytes around every array)");
                return false;
            }
        }
        return true;
    }

    private static long firstMismatch(MemorySegment zone) {
        return zone.mismatch(PATTERN);
    }

    /** Element-wise comparison within the measurement tolerance; null when every element passes. */
    static String compare(String name, NDArray got, NDArray want) {
        if (got.size() != want.size()) {
            return name + ": " + got.size() + " elements, expected " + want.size();
        }
        DType t = got.dtype();
        double rtol = tolerance(t);
        long bad = 0;
        long worst = -1;
        double worstScore = 0;
        for (long i = 0; i < got.size(); i++) {
            boolean pass;
            double score = 0;
            if (t.isFloat()) {
                double g = got.getDouble(i);
                double w = want.getDouble(i);
                if (Double.isNaN(w) || Double.isInfinite(w)) {
                    pass = Double.compare(g, w) == 0;
                    score = pass ? 0 : Double.POSITIVE_INFINITY;
                } else {
                    double err = Math.abs(g - w);
                    score = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / (rtol + rtol * Math.abs(w));
                    pass = score <= 1;
                }
            } else {
                pass = got.getLong(i) == want.getLong(i);
                score = pass ? 0 : 1;
            }
            if (!pass) {
                bad++;
                if (worst < 0 || score > worstScore) {
                    worst = i;
                    worstScore = score;
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        String g = t.isFloat() ? Double.toString(got.getDouble(worst)) : Long.toString(got.getLong(worst));
        String w = t.isFloat() ? Double.toString(want.getDouble(worst)) : Long.toString(want.getLong(worst));
        return name + ": " + bad + " of " + got.size() + " elements differ from the reference; worst at flat index "
                + worst + ": got " + g + ", expected " + w + " (tolerance " + rtol + " + " + rtol + "·|expected|)";
    }

    /**
     * The relative and absolute tolerance of the check: looser than the test suite's
     * (docs/testing.md) because tuned shapes have long reductions that schedules reorder.
     */
    static double tolerance(DType t) {
        return switch (t) {
            case FLOAT32 -> 1e-4;
            case FLOAT16 -> 1e-2;
            case FLOAT64 -> 1e-10;
            default -> 0;
        };
    }
}
