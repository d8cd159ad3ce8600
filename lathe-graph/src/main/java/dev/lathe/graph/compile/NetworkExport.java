package dev.lathe.graph.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.Value;
import dev.lathe.ir.DType;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.runtime.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-disk form of a compiled network:
 * <pre>
 * dir/network.json        format, name, inputs, outputs, constants, kernels, steps, value types
 * dir/kernels/k0/...      one exported Module per distinct kernel (shared library, C source, module.json)
 * dir/constants/c0.npy    one NumPy file per constant
 * </pre>
 * Loading needs neither a C compiler nor the records: the kernels are the compiled libraries.
 * Only networks of literal shapes are written (symbolic shapes have no stable text form yet).
 */
final class NetworkExport {
    static final int FORMAT = 1;
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
        if (format != FORMAT) {
            throw new IllegalArgumentException(manifest + " has format " + format + "; this Lathe reads format " + FORMAT);
        }
        try {
            List<Value> inputs = new ArrayList<>();
            for (JsonNode in : root.get("inputs")) {
                inputs.add(new Value(in.get("name").asText(), type(in)));
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
            root.get("types").properties().forEach(e -> types.put(e.getKey(), type(e.getValue())));
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

    private static void type(ObjectNode o, String value, TensorType t) {
        if (!t.isStatic()) {
            throw new IllegalStateException("value '" + value + "' has the symbolic type " + t + ": only networks of "
                    + "literal shapes are exported; give the graph's inputs fixed shapes before compiling");
        }
        o.put("dtype", t.dtype().label());
        ArrayNode shape = o.putArray("shape");
        for (long d : t.staticShape()) {
            shape.add(d);
        }
    }

    private static TensorType type(JsonNode o) {
        List<Long> dims = new ArrayList<>();
        o.get("shape").forEach(d -> dims.add(d.asLong()));
        return TensorType.of(DType.fromLabel(o.get("dtype").asText()), dims.stream().mapToLong(Long::longValue).toArray());
    }
}
