package dev.lathe.graph.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.graph.Dim;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.Value;
import dev.lathe.ir.DType;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.Var;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.runtime.Npy;
import dev.lathe.te.Te;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The on-disk form of a compiled network:
 * <pre>
 * dir/network.json        format, name, size variables, inputs, outputs, constants, kernels, steps, value types
 * dir/kernels/k0/...      one exported Module per distinct kernel (shared library, C source, module.json)
 * dir/constants/c0.npy    one NumPy file per constant
 * </pre>
 * Loading needs neither a C compiler nor the records: the kernels are the compiled libraries.
 * Symbolic dimensions are written as expressions over the size variables the manifest lists
 * ({@code "N"}, {@code {"op": "MUL", "a": "N", "b": 2}}); each name is one variable, so a network
 * whose types hold two distinct variables of one name is refused. Format 1 (literal shapes,
 * no {@code sizeVars}) is still read.
 */
final class NetworkExport {
    static final int FORMAT = 2;
    static final String MANIFEST = "network.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkExport() {
    }

    static void write(CompiledNetwork net, Path dir) {
        try {
            Files.createDirectories(dir);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("name", net.name());
            ArrayNode vars = root.putArray("sizeVars");
            sizeVars(net).forEach(vars::add);
            ArrayNode ins = root.putArray("inputs");
            for (Value v : net.inputs()) {
                type(ins.addObject().put("name", v.name()), v.name(), v.type());
            }
            ArrayNode outs = root.putArray("outputs");
            net.outputs().forEach(outs::add);
            ArrayNode consts = root.putArray("constants");
            int c = 0;
            for (Map.Entry<String, NDArray> e : net.constants().entrySet()) {
                String file = "constants/c" + c++ + ".npy";
                Files.createDirectories(dir.resolve("constants"));
                Npy.write(e.getValue(), dir.resolve(file));
                consts.addObject().put("name", e.getKey()).put("file", file);
            }
            Map<Module, Integer> kernels = new LinkedHashMap<>();
            ArrayNode ks = root.putArray("kernels");
            ArrayNode steps = root.putArray("steps");
            ObjectNode types = root.putObject("types");
            for (Step s : net.steps()) {
                Integer k = kernels.get(s.kernel());
                if (k == null) {
                    k = kernels.size();
                    kernels.put(s.kernel(), k);
                    String kdir = "kernels/k" + k;
                    s.kernel().export(dir.resolve(kdir));
                    ks.addObject().put("dir", kdir).put("workloadKey", s.workloadKey()).put("threads", s.kernel().threads());
                }
                ObjectNode o = steps.addObject().put("name", s.name()).put("kernel", k);
                ArrayNode args = o.putArray("arguments");
                s.arguments().forEach(args::add);
                ArrayNode flags = o.putArray("isOutput");
                s.isOutput().forEach(flags::add);
                for (String w : s.writes()) {
                    type(types.putObject(w), w, net.types().get(w));
                }
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not export network " + net.name() + " to " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    static CompiledNetwork read(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        JsonNode root;
        try {
            root = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest + ": " + e.getMessage()
                    + " (is this a directory written by CompiledNetwork.export?)", e);
        }
        int format = root.path("format").asInt(-1);
        if (format != 1 && format != FORMAT) {
            throw new IllegalArgumentException(manifest + " has format " + format + "; this Lathe reads formats 1 to "
                    + FORMAT);
        }
        try {
            Map<String, Var> vars = new HashMap<>();
            root.path("sizeVars").forEach(v -> vars.put(v.asText(), Te.sizeVar(v.asText())));
            List<Value> inputs = new ArrayList<>();
            for (JsonNode in : root.get("inputs")) {
                inputs.add(new Value(in.get("name").asText(), type(in, vars)));
            }
            List<String> outputs = new ArrayList<>();
            root.get("outputs").forEach(o -> outputs.add(o.asText()));
            Map<String, NDArray> constants = new LinkedHashMap<>();
            for (JsonNode c : root.get("constants")) {
                constants.put(c.get("name").asText(), Npy.read(dir.resolve(c.get("file").asText())));
            }
            List<Module> kernels = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (JsonNode k : root.get("kernels")) {
                Module m = Module.load(dir.resolve(k.get("dir").asText()));
                m.setThreads(k.path("threads").asInt(0));
                kernels.add(m);
                keys.add(k.path("workloadKey").asText(""));
            }
            Map<String, TensorType> types = new HashMap<>();
            root.get("types").properties().forEach(e -> types.put(e.getKey(), type(e.getValue(), vars)));
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : root.get("steps")) {
                int k = s.get("kernel").asInt();
                List<String> args = new ArrayList<>();
                s.get("arguments").forEach(a -> args.add(a.asText()));
                List<Boolean> flags = new ArrayList<>();
                s.get("isOutput").forEach(f -> flags.add(f.asBoolean()));
                steps.add(new Step(s.get("name").asText(), keys.get(k), kernels.get(k), args, flags));
            }
            return new CompiledNetwork(root.get("name").asText(), inputs, outputs, constants, steps, types);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read network in " + dir + ": " + e.getMessage(), e);
        } catch (NullPointerException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(manifest + " is missing a field or refers to a missing kernel: " + e, e);
        }
    }

    /** The names of the size variables in the network's types, each name standing for one variable. */
    private static Set<String> sizeVars(CompiledNetwork net) {
        Map<String, Var> byName = new TreeMap<>();
        List<TensorType> all = new ArrayList<>(net.types().values());
        net.inputs().forEach(v -> all.add(v.type()));
        for (TensorType t : all) {
            for (Dim d : t.shape()) {
                for (Var v : Exprs.vars(d.extent())) {
                    Var before = byName.putIfAbsent(v.name(), v);
                    if (before != null && !before.equals(v)) {
                        throw new IllegalStateException("network " + net.name() + " has two distinct size variables "
                                + "named '" + v.name() + "'; give them distinct names before exporting");
                    }
                }
            }
        }
        return byName.keySet();
    }

    private static void type(ObjectNode o, String value, TensorType t) {
        o.put("dtype", t.dtype().label());
        ArrayNode shape = o.putArray("shape");
        for (Dim d : t.shape()) {
            shape.add(DimJson.write(d, value));
        }
    }

    private static TensorType type(JsonNode o, Map<String, Var> vars) {
        List<Dim> dims = new ArrayList<>();
        o.get("shape").forEach(d -> dims.add(DimJson.read(d, vars)));
        return new TensorType(DType.fromLabel(o.get("dtype").asText()), dims);
    }
}
