package dev.lathe.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.ir.IntImm;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.NDArray;
import dev.lathe.runtime.Npy;
import dev.lathe.schedule.State;
import dev.lathe.te.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs built candidates one at a time in a separate worker JVM ({@link Worker}, started with
 * this JVM's java binary and class path), kept alive across candidates. A candidate that kills
 * the worker (a segfault) is RUNTIME_ERROR with the signal, one that runs past
 * {@link RunOptions#timeoutSeconds()} (or the shorter deadline that a slow bound gives, see
 * {@link #deadlineSeconds}) is RUN_TIMEOUT (the worker is killed); the next candidate
 * gets a fresh worker. Inputs are written once per task as .npy files in a temporary
 * directory: the task inputs (real index arrays) as given, every other input random (seeded).
 * Not thread-safe: one caller at a time.
 */
public final class ProcessRunner implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20261202L;
    private static final String END = "\u0000end";
    /** Seconds the worker may take to start, beyond a candidate's own time limit. */
    private static final double STARTUP_SECONDS = 60;

    private final RunOptions options;
    private final LocalBuilder referenceBuilder;
    private final Path dir;
    private final Map<SearchTask, TaskFiles> tasks = new IdentityHashMap<>();
    private Process worker;
    private Writer toWorker;
    private BlockingQueue<String> fromWorker;
    /** The worker's standard output that is not an answer. */
    private ArrayDeque<String> otherOutput;
    private Path workerLog;
    private long nextId;
    private int workersStarted;

    /** Per task: the .npy of each input by name, and of each output's expected values (when checking). */
    private record TaskFiles(Map<String, Path> inputs, Map<String, Path> expected, String error) {
    }

    /**
     * @param referenceBuilder builds the default schedule for {@link RunOptions.Reference#DEFAULT_SCHEDULE}
     */
    public ProcessRunner(RunOptions options, LocalBuilder referenceBuilder) {
        this.options = options;
        this.referenceBuilder = referenceBuilder;
        try {
            this.dir = Files.createTempDirectory("lathe-measure-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for measuring", e);
        }
    }

    public RunOptions options() {
        return options;
    }

    /** How many worker processes were started so far (one, plus one after each crash or timeout). */
    public int workersStarted() {
        return workersStarted;
    }

    /** Runs every built candidate (failed builds are passed through); results in input order. */
    public List<MeasureResult> run(List<MeasureInput> inputs, List<BuildResult> builds) {
        return run(inputs, builds, 0);
    }

    /**
     * {@link #run(List, List)}; a candidate whose first (checked) run takes longer than
     * {@code slowSeconds} (when > 0) gets that run's time as its only cost, without the repeats.
     */
    public List<MeasureResult> run(List<MeasureInput> inputs, List<BuildResult> builds, double slowSeconds) {
        if (inputs.size() != builds.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + builds.size() + " build results");
        }
        List<MeasureResult> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            BuildResult b = builds.get(i);
            if (!b.ok()) {
                out.add(MeasureResult.failed(b.error(), b.message(), b.seconds(), 0));
                continue;
            }
            long t0 = System.nanoTime();
            Answer a = runOne(inputs.get(i).task(), b.kernel(), slowSeconds);
            double runSeconds = (System.nanoTime() - t0) / 1e9;
            out.add(new MeasureResult(a.costs, a.error, a.message, b.seconds(), runSeconds, System.currentTimeMillis()));
        }
        return out;
    }

    private record Answer(List<Double> costs, ErrorKind error, String message) {
        static Answer failed(ErrorKind kind, String message) {
            return new Answer(List.of(), kind, message);
        }
    }

    private Answer runOne(SearchTask task, BuildResult.Kernel kernel, double slowSeconds) {
        TaskFiles files;
        try {
            files = files(task);
        } catch (RuntimeException | IOException e) {
            files = new TaskFiles(Map.of(), Map.of(), "preparing the task's inputs failed: " + e);
            tasks.put(task, files);
        }
        if (files.error != null) {
            return Answer.failed(ErrorKind.UNKNOWN, files.error);
        }
        ObjectNode req = request("run", task, kernel, files.inputs, files.expected);
        if (req == null) {
            return Answer.failed(ErrorKind.UNKNOWN, "the kernel's parameters " + kernel.params()
                    + " do not match the task's inputs " + files.inputs.keySet() + " and outputs "
                    + task.dag().outputs().stream().map(Tensor::name).toList());
        }
        req.put("check", options.checkCorrectness());
        req.put("number", options.number());
        req.put("repeat", options.repeat());
        req.put("minRepeatMs", options.minRepeatMs());
        req.put("slowSeconds", Math.max(0, slowSeconds));
        req.put("flushBytes", options.flushCache() ? 2 * Math.max(task.target().l3Bytes(), 8L << 20) : 0);
        double limit = deadlineSeconds(options, slowSeconds);
        Answer a = send(req, limit);
        if (a.error == ErrorKind.RUN_TIMEOUT && limit < options.timeoutSeconds()) {
            return Answer.failed(ErrorKind.RUN_TIMEOUT, a.message + " (shorter than the " + options.timeoutSeconds()
                    + " s timeout: programs whose first run takes over " + slowSeconds + " s are not timed in full)");
        }
        return a;
    }

    /**
     * How long a candidate may take before its worker is killed: {@link RunOptions#timeoutSeconds()},
     * or less when a slow bound is given. A candidate under the bound runs about 2 + repeat times
     * (first, warm-up, repeats of at least minRepeatMs, each after a cache flush); one over it is cut
     * after its first run, so a first run that does not end long after the bound is a program
     * thousands of times slower than the best, and waiting the full timeout for it (a worker
     * restart follows either way) cost searches on convolutions a quarter of their time.
     */
    static double deadlineSeconds(RunOptions options, double slowSeconds) {
        if (!(slowSeconds > 0)) {
            return options.timeoutSeconds();
        }
        double perRepeat = Math.max(slowSeconds, 3 * options.minRepeatMs() / 1e3) + FLUSH_ALLOWANCE_SECONDS;
        double expected = 2 * slowSeconds + options.repeat() * perRepeat;
        return Math.min(options.timeoutSeconds(), DEADLINE_FLOOR_SECONDS + expected);
    }

    /** Added to a slow bound's deadline: loading the kernel and its inputs, the check, JIT warm-up. */
    static final double DEADLINE_FLOOR_SECONDS = 2;
    /** A cache flush (a fill of twice the L3) before each repeat. */
    static final double FLUSH_ALLOWANCE_SECONDS = 0.05;

    private ObjectNode request(String op, SearchTask task, BuildResult.Kernel kernel, Map<String, Path> inputs,
                               Map<String, Path> outputs) {
        ObjectNode req = JSON.createObjectNode();
        req.put("op", op);
        req.put("library", kernel.library().toString());
        req.put("entry", kernel.entry());
        req.put("name", kernel.name());
        req.put("threads", task.threads());
        ArrayNode ps = req.putArray("params");
        for (BuildResult.Param p : kernel.params()) {
            ObjectNode o = ps.addObject();
            o.put("name", p.name());
            o.put("dtype", p.dtype().label());
            o.put("output", p.output());
            ArrayNode shape = o.putArray("shape");
            p.shape().forEach(shape::add);
            Path file = p.output() ? outputs.get(p.name()) : inputs.get(p.name());
            if (file == null && (!p.output() || !outputs.isEmpty())) {
                return null; // an input without values, or an output the check has no expected values for
            }
            if (file == null) {
                o.putNull("file");
            } else {
                o.put("file", file.toString());
            }
        }
        ArrayNode sites = req.putArray("checkedSites");
        kernel.checkedSites().forEach(sites::add);
        return req;
    }

    // ---- task inputs and expected outputs

    private TaskFiles files(SearchTask task) throws IOException {
        TaskFiles f = tasks.get(task);
        if (f != null) {
            return f;
        }
        Path tdir = Files.createDirectories(dir.resolve("task" + tasks.size()));
        Random rng = new Random(SEED);
        Map<Tensor, NDArray> values = new HashMap<>();
        Map<String, Path> inputs = new LinkedHashMap<>();
        int i = 0;
        for (Tensor t : task.inputs()) {
            NDArray given = task.taskInputs().get(t);
            NDArray a = given != null ? given : NDArray.random(t.dtype(), rng, constantShape(t));
            values.put(t, a);
            Path p = tdir.resolve("in" + i++ + ".npy");
            Npy.write(a, p);
            if (inputs.putIfAbsent(t.name(), p) != null) {
                return remember(task, new TaskFiles(Map.of(), Map.of(), "two inputs are named " + t.name()));
            }
        }
        Map<String, Path> expected = new LinkedHashMap<>();
        if (options.checkCorrectness()) {
            int o = 0;
            for (Tensor t : task.dag().outputs()) {
                expected.put(t.name(), tdir.resolve("expected" + o++ + ".npy"));
            }
            if (options.reference() == RunOptions.Reference.EVALUATOR) {
                Map<Tensor, NDArray> ref = ReferenceEvaluator.evaluate(task.dag(), values);
                for (Tensor t : task.dag().outputs()) {
                    Npy.write(ref.get(t), expected.get(t.name()));
                }
            } else {
                BuildResult b = referenceBuilder.build(new MeasureInput(task, State.initial(task.dag())));
                if (!b.ok()) {
                    return remember(task, new TaskFiles(inputs, expected, "the reference (default schedule) did not build: "
                            + b.error() + " " + b.message()));
                }
                Answer a = send(request("reference", task, b.kernel(), inputs, expected),
                        Math.max(options.timeoutSeconds(), 60));
                if (a.error != ErrorKind.NONE) {
                    return remember(task, new TaskFiles(inputs, expected, "the reference (default schedule) failed: "
                            + a.error + " " + a.message));
                }
            }
        }
        return remember(task, new TaskFiles(inputs, expected, null));
    }

    private TaskFiles remember(SearchTask task, TaskFiles f) {
        tasks.put(task, f);
        return f;
    }

    private static long[] constantShape(Tensor t) {
        return t.shape().stream().mapToLong(d -> {
            if (d instanceof IntImm i) {
                return i.value();
            }
            throw new IllegalArgumentException("measuring needs constant shapes, but " + t.name() + " has shape "
                    + t.shape());
        }).toArray();
    }

    // ---- the worker process

    private Answer send(ObjectNode req, double timeoutSeconds) {
        try {
            ensureWorker();
        } catch (IOException | RuntimeException e) {
            stopWorker();
            return Answer.failed(ErrorKind.UNKNOWN, "could not start the measuring worker: " + e.getMessage());
        }
        long id = nextId++;
        req.put("id", id);
        try {
            toWorker.write(JSON.writeValueAsString(req) + "\n");
            toWorker.flush();
        } catch (IOException e) {
            return died();
        }
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (true) {
            String line;
            try {
                line = fromWorker.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopWorker();
                return Answer.failed(ErrorKind.UNKNOWN, "interrupted while measuring");
            }
            if (line == null) {
                stopWorker();
                return Answer.failed(ErrorKind.RUN_TIMEOUT, "the candidate did not finish within " + timeoutSeconds
                        + " s; the worker was killed");
            }
            if (line.equals(END)) {
                return died();
            }
            JsonNode a;
            try {
                a = JSON.readTree(line);
            } catch (IOException e) {
                continue; // not an answer: something the kernel printed
            }
            if (a.path("id").asLong(-1) != id) {
                continue;
            }
            List<Double> costs = new ArrayList<>();
            a.path("costs").forEach(c -> costs.add(c.asDouble()));
            return new Answer(costs, ErrorKind.valueOf(a.path("error").asText("UNKNOWN")), a.path("message").asText(""));
        }
    }

    private static final Pattern SIGNAL = Pattern.compile("(SIG[A-Z]+) \\(0x[0-9a-f]+\\)[^\\n]*");

    /** The worker died while running a candidate: its exit code and, from its log, the signal and faulting frame. */
    private Answer died() {
        Process p = worker;
        int exit = -1;
        try {
            if (p.waitFor(30, TimeUnit.SECONDS)) {
                exit = p.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String log;
        synchronized (otherOutput) {
            log = String.join("\n", otherOutput) + "\n";
        }
        try {
            log += Files.exists(workerLog) ? Files.readString(workerLog, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            // No log: the exit code alone.
        }
        stopWorker();
        StringBuilder msg = new StringBuilder("the worker process died running the candidate (exit code " + exit);
        if (exit > 128) {
            msg.append(", killed by signal ").append(exit - 128);
        }
        msg.append(")");
        Matcher m = SIGNAL.matcher(log);
        if (m.find()) {
            msg.append(": ").append(m.group().strip());
            int frame = log.indexOf("# Problematic frame:");
            if (frame >= 0) {
                log.lines().skip(log.substring(0, frame).lines().count() + 1).findFirst()
                        .ifPresent(l -> msg.append("; frame ").append(l.replace("#", "").strip()));
            }
        } else if (!log.isBlank()) {
            List<String> lines = log.strip().lines().toList();
            msg.append(": ").append(String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        return Answer.failed(ErrorKind.RUNTIME_ERROR, msg.toString());
    }

    private void ensureWorker() throws IOException {
        if (worker != null && worker.isAlive()) {
            return;
        }
        stopWorker();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = absoluteClassPath(System.getProperty("lathe.worker.classpath",
                System.getProperty("java.class.path")));
        workerLog = dir.resolve("worker" + workersStarted + ".log");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xss8m",
                "-XX:+DisplayVMOutputToStderr", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"), "-cp", classPath, Worker.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(workerLog.toFile()).directory(dir.toFile());
        Process p = pb.start();
        workersStarted++;
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        ArrayDeque<String> other = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("{")) {
                        queue.add(line);
                    } else {
                        // The JVM's fatal-error banner (SIGSEGV ...) or something the kernel printed.
                        synchronized (other) {
                            other.addLast(line);
                            if (other.size() > 200) {
                                other.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // The worker is gone.
            }
            queue.add(END);
        }, "lathe-worker-reader");
        reader.setDaemon(true);
        reader.start();
        worker = p;
        toWorker = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        fromWorker = queue;
        otherOutput = other;
        try {
            String ready = queue.poll((long) STARTUP_SECONDS, TimeUnit.SECONDS);
            if (ready == null || !ready.contains("\"ready\"")) {
                String log = Files.exists(workerLog) ? Files.readString(workerLog) : "";
                throw new IOException("the worker did not start (" + (ready == null ? "no answer in " + STARTUP_SECONDS
                        + " s" : "it said '" + ready + "'") + ")" + (log.isBlank() ? "" : ": " + log.strip()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the worker", e);
        }
    }

    private void stopWorker() {
        Process p = worker;
        worker = null;
        if (p == null) {
            return;
        }
        try {
            toWorker.close();
        } catch (IOException e) {
            // Already gone.
        }
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the worker and deletes the temporary files. */
    @Override
    public void close() {
        stopWorker();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left in the temporary directory.
        }
    }

    /** The worker runs in its own directory: relative class path entries (as in {@code java -jar lathe.jar}) must not break it. */
    static String absoluteClassPath(String classPath) {
        List<String> entries = new java.util.ArrayList<>();
        for (String e : classPath.split(java.io.File.pathSeparator)) {
            entries.add(e.isEmpty() ? e : Path.of(e).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
