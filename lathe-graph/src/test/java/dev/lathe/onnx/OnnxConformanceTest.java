package dev.lathe.onnx;

import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.UnsupportedOperatorException;
import dev.lathe.graph.Value;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the ONNX backend node tests shipped by Debian's {@code libonnx-testdata}: every case whose
 * model imports (opset 13+, supported operators and element types) is compiled and run, and its
 * outputs compared with the expected ones. Floats match when {@code |got - want| <= ATOL + RTOL * |want|}
 * (NaN matches NaN); integers and booleans match exactly. The test fails only for a failure not in
 * {@link #KNOWN_FAILURES}.
 */
class OnnxConformanceTest {
    static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");
    static final double RTOL = 1e-3;
    static final double ATOL = 1e-4;
    /** {@code -Dlathe.conformance.verbose=true} prints why each case is skipped and which pass. */
    static final boolean VERBOSE = Boolean.getBoolean("lathe.conformance.verbose");

    /** Cases of supported operators that fail, each with the reason. */
    static final Map<String, String> KNOWN_FAILURES = Map.ofEntries(
    );

    @Test
    void nodeTests() throws IOException {
        assumeTrue(Files.isDirectory(NODE_TESTS), "ONNX node tests not installed (apt-get install libonnx-testdata): "
                + NODE_TESTS + " is missing");
        List<Path> cases;
        try (Stream<Path> s = Files.list(NODE_TESTS)) {
            cases = s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().toList();
        }
        // Cases are independent; most of their time is the C compiler, so they run on every core.
        List<String> outcomes;
        try (ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            List<Future<String>> futures = cases.stream().map(c -> pool.submit(() -> outcome(c))).toList();
            outcomes = new ArrayList<>();
            for (Future<String> f : futures) {
                outcomes.add(f.get());
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("conformance run interrupted", e);
        }
        int passed = 0;
        int skipped = 0;
        List<String> failed = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String name = cases.get(i).getFileName().toString();
            String outcome = outcomes.get(i);
            if (outcome.startsWith(SKIP)) {
                skipped++;
                if (VERBOSE) {
                    System.out.println("  skip " + name + ": " + outcome.substring(SKIP.length()));
                }
            } else if (outcome.isEmpty()) {
                passed++;
                if (VERBOSE) {
                    System.out.println("  pass " + name);
                }
            } else {
                failed.add(name);
                if (!KNOWN_FAILURES.containsKey(name)) {
                    unexpected.add(name + ": " + outcome.lines().findFirst().orElse(""));
                }
            }
        }
        System.out.println("conformance: " + passed + " passed, " + failed.size() + " failed, " + skipped
                + " skipped (unsupported)");
        unexpected.forEach(u -> System.out.println("  FAILED " + u));
        assertTrue(unexpected.isEmpty(), unexpected.size() + " unexpected failures:\n" + String.join("\n", unexpected));
    }

    private static final String SKIP = "skip: ";

    /** "" when the case passes, {@link #SKIP} and the reason when it is unsupported, else what went wrong. */
    static String outcome(Path dir) {
        try {
            return run(dir);
        } catch (UnsupportedOperatorException | OnnxFormatException e) {
            return SKIP + e.getMessage().lines().findFirst().orElse("");
        } catch (RuntimeException | Error e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static String run(Path dir) {
        Graph g = OnnxImporter.load(dir.resolve("model.onnx"));
        Path data = dir.resolve("test_data_set_0");
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        List<Value> ins = g.inputs();
        for (int i = 0; i < ins.size(); i++) {
            inputs.put(ins.get(i).name(), TensorProtos.read(data.resolve("input_" + i + ".pb")));
        }
        Map<String, NDArray> out = GraphExecutor.of(g).run(inputs);
        StringBuilder problems = new StringBuilder();
        for (int k = 0; k < g.outputs().size(); k++) {
            NDArray want = TensorProtos.read(data.resolve("output_" + k + ".pb"));
            NDArray got = out.get(g.outputs().get(k));
            String p = compare(want, got);
            if (!p.isEmpty()) {
                problems.append("output ").append(g.outputs().get(k)).append(": ").append(p).append('\n');
            }
        }
        return problems.toString();
    }

    static String compare(NDArray want, NDArray got) {
        if (!Arrays.equals(want.shape(), got.shape()) || want.dtype() != got.dtype()) {
            return "expected " + want.dtype().label() + Arrays.toString(want.shape()) + ", got "
                    + got.dtype().label() + Arrays.toString(got.shape());
        }
        for (long i = 0; i < want.size(); i++) {
            if (want.dtype().isFloat()) {
                double w = want.getDouble(i);
                double v = got.getDouble(i);
                boolean ok = Double.isNaN(w) ? Double.isNaN(v)
                        : w == v || Math.abs(v - w) <= ATOL + RTOL * Math.abs(w);
                if (!ok) {
                    return "element " + i + ": expected " + w + ", got " + v;
                }
            } else if (want.getLong(i) != got.getLong(i)) {
                return "element " + i + ": expected " + want.getLong(i) + ", got " + got.getLong(i);
            }
        }
        return "";
    }
}
