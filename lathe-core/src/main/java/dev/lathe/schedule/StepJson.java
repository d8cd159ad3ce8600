package dev.lathe.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.te.ComputeDag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Steps as JSON, the form tuning records store. A step list is an array of objects, each tagged
 * with its kind in {@code "t"}:
 * <pre>{@code
 * [{"t":"split","stage":2,"iter":0,"factors":[32,4]},
 *  {"t":"annotate","stage":2,"iter":5,"ann":"vectorize"}]
 * }</pre>
 * A schedule together with the workload it was made for is {@code {"workload": key, "steps": [...]}}.
 *
 * <p>Records files may be corrupt or hostile, and some strings in a step end up in generated C, so
 * reading is strict: every field must be present with its type, nothing else may be present, and
 * strings must come from a fixed vocabulary (kinds, annotations, scopes, pragma keys). Whether the
 * steps fit a DAG (stage and iterator indices) is checked when they are replayed.
 */
public final class StepJson {
    /** Storage scopes a cache stage may use. */
    public static final Set<String> SCOPES = Set.of("global", "local", "shared");
    /** Pragma keys {@link Step.Pragma} understands (see {@code Primitives.pragma}). */
    public static final Set<String> PRAGMA_KEYS = Set.of("auto_unroll_max_step", "unroll_explicit");

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    // Duplicate keys are rejected so that a second "t" or "scope" cannot hide behind the first.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern WORKLOAD_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private StepJson() {
    }

    // ---- writing

    /** The step list as a JSON array, compact, on one line. */
    public static String write(List<Step> steps) {
        return toJson(steps).toString();
    }

    /** The state's steps with the workload key of the DAG they were made for: {@code {"workload":..,"steps":[..]}}. */
    public static String write(State state) {
        ObjectNode o = F.objectNode();
        o.put("workload", state.original().workloadKey());
        o.set("steps", toJson(state.steps()));
        return o.toString();
    }

    public static ArrayNode toJson(List<Step> steps) {
        ArrayNode a = F.arrayNode();
        for (Step s : steps) {
            a.add(toJson(s));
        }
        return a;
    }

    /** One step as a JSON object; refuses strings that {@link #readStep} would refuse, so every written record reads back. */
    public static ObjectNode toJson(Step step) {
        ObjectNode o = F.objectNode();
        o.put("t", kind(step));
        o.put("stage", step.stage());
        switch (step) {
            case Step.Split s -> {
                o.put("iter", s.iter());
                ArrayNode f = o.putArray("factors");
                s.factors().forEach(f::add);
            }
            case Step.SplitParts s -> {
                o.put("iter", s.iter());
                o.put("parts", s.parts());
            }
            case Step.Fuse f -> ints(o.putArray("iters"), f.iters());
            case Step.Reorder r -> ints(o.putArray("order"), r.order());
            case Step.Annotate a -> {
                o.put("iter", a.iter());
                o.put("ann", annotationName(a.annotation()));
            }
            case Step.ComputeAt c -> {
                o.put("target", c.target());
                o.put("target_iter", c.targetIter());
            }
            case Step.ComputeInline _, Step.ComputeRoot _ -> { }
            case Step.Pragma p -> {
                o.put("key", requireKnown(p.key(), PRAGMA_KEYS, "pragma key", "cannot write pragma step"));
                o.put("value", p.value());
            }
            case Step.StorageAlign a -> {
                o.put("axis", a.axis());
                o.put("factor", a.factor());
                o.put("offset", a.offset());
            }
            case Step.CacheRead c -> {
                o.put("scope", requireKnown(c.scope(), SCOPES, "scope", "cannot write cache_read step"));
                ints(o.putArray("readers"), c.readers());
            }
            case Step.CacheWrite c -> o.put("scope", requireKnown(c.scope(), SCOPES, "scope",
                    "cannot write cache_write step"));
            case Step.Rfactor r -> {
                o.put("iter", r.iter());
                o.put("factor_axis", r.factorAxis());
            }
        }
        return o;
    }

    /** The kind tag of a step in JSON. */
    public static String kind(Step step) {
        return switch (step) {
            case Step.Split _ -> "split";
            case Step.SplitParts _ -> "split_parts";
            case Step.Fuse _ -> "fuse";
            case Step.Reorder _ -> "reorder";
            case Step.Annotate _ -> "annotate";
            case Step.ComputeAt _ -> "compute_at";
            case Step.ComputeInline _ -> "compute_inline";
            case Step.ComputeRoot _ -> "compute_root";
            case Step.Pragma _ -> "pragma";
            case Step.StorageAlign _ -> "storage_align";
            case Step.CacheRead _ -> "cache_read";
            case Step.CacheWrite _ -> "cache_write";
            case Step.Rfactor _ -> "rfactor";
        };
    }

    // ---- reading

    /**
     * Reads a step list: a JSON array of steps, or an object {@code {"workload":..,"steps":[..]}}
     * (the workload key is then ignored; {@link #replay(ComputeDag, String)} checks it).
     */
    public static List<Step> read(String json) {
        JsonNode root = parse(json);
        if (root.isObject()) {
            return readSteps(recordField(root, "steps"));
        }
        return readSteps(root);
    }

    /** Reads a JSON array of steps. */
    public static List<Step> readSteps(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new StepFormatException("steps must be a JSON array of step objects, got " + describe(array));
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(readStep(array.get(i), i));
        }
        return out;
    }

    /** Reads one step object. */
    public static Step readStep(JsonNode node) {
        return readStep(node, -1);
    }

    private static Step readStep(JsonNode node, int index) {
        String where = index < 0 ? "step" : "step " + index;
        if (node == null || !node.isObject()) {
            throw new StepFormatException(where + " must be a JSON object, got " + describe(node));
        }
        JsonNode t = node.get("t");
        if (t == null || !t.isTextual()) {
            throw new StepFormatException(where + " has no kind: field 't' must be a string such as \"split\", got "
                    + describe(t));
        }
        Fields f = new Fields(node, where + " (" + safe(t.asText()) + ")");
        Step step = switch (t.asText()) {
            case "split" -> new Step.Split(f.index("stage"), f.index("iter"), f.longs("factors"));
            case "split_parts" -> new Step.SplitParts(f.index("stage"), f.index("iter"), f.longValue("parts"));
            case "fuse" -> new Step.Fuse(f.index("stage"), f.indices("iters"));
            case "reorder" -> new Step.Reorder(f.index("stage"), f.indices("order"));
            case "annotate" -> new Step.Annotate(f.index("stage"), f.index("iter"), f.annotation("ann"));
            case "compute_at" -> new Step.ComputeAt(f.index("stage"), f.index("target"), f.index("target_iter"));
            case "compute_inline" -> new Step.ComputeInline(f.index("stage"));
            case "compute_root" -> new Step.ComputeRoot(f.index("stage"));
            case "pragma" -> new Step.Pragma(f.index("stage"), f.word("key", PRAGMA_KEYS), f.intValue("value"));
            case "storage_align" -> new Step.StorageAlign(f.index("stage"), f.index("axis"), f.intValue("factor"),
                    f.intValue("offset"));
            case "cache_read" -> new Step.CacheRead(f.index("stage"), f.word("scope", SCOPES), f.indices("readers"));
            case "cache_write" -> new Step.CacheWrite(f.index("stage"), f.word("scope", SCOPES));
            case "rfactor" -> new Step.Rfactor(f.index("stage"), f.index("iter"), f.index("factor_axis"));
            default -> throw new StepFormatException(where + ": unknown step kind " + safe(t.asText())
                    + "; known kinds are split, split_parts, fuse, reorder, annotate, compute_at, compute_inline, "
                    + "compute_root, pragma, storage_align, cache_read, cache_write, rfactor");
        };
        f.requireNoOthers();
        return step;
    }

    // ---- replay

    /**
     * Replays JSON steps onto the default schedule of {@code dag}. For the object form with a
     * workload key, the key must be {@code dag.workloadKey()}: steps address stages and iterators by
     * index, so on another DAG they would silently schedule the wrong loops.
     */
    public static State replay(ComputeDag dag, String json) {
        JsonNode root = parse(json);
        if (root.isObject()) {
            JsonNode key = recordField(root, "workload");
            if (!key.isTextual() || !WORKLOAD_KEY.matcher(key.asText()).matches()) {
                throw new StepFormatException("'workload' must be a workload key string, got " + describe(key));
            }
            return replay(dag, key.asText(), readSteps(recordField(root, "steps")));
        }
        return replay(dag, null, readSteps(root));
    }

    /**
     * Replays steps onto the default schedule of {@code dag}, first checking that they were
     * recorded for it when {@code workloadKey} is not null. A step that does not fit (a stage or
     * iterator that does not exist, a primitive applied where it is invalid) fails with a
     * {@link ScheduleException} naming the step.
     */
    public static State replay(ComputeDag dag, String workloadKey, List<Step> steps) {
        if (workloadKey != null && !workloadKey.equals(dag.workloadKey())) {
            throw new ScheduleException("steps were recorded for workload " + workloadKey + ", this DAG is "
                    + dag.workloadKey());
        }
        State s = State.initial(dag);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            try {
                s = s.apply(step);
            } catch (ScheduleException e) {
                ScheduleException named = new ScheduleException("step " + i + " (" + kind(step) + "): " + e.getMessage());
                named.initCause(e);
                throw named;
            }
        }
        return s;
    }

    // ---- helpers

    private static JsonNode parse(String json) {
        if (json == null) {
            throw new StepFormatException("steps JSON is null");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StepFormatException("steps are not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !(root.isArray() || root.isObject())) {
            throw new StepFormatException("steps must be a JSON array, or an object with 'workload' and 'steps'; got "
                    + describe(root));
        }
        if (root.isObject()) {
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("workload") && !name.equals("steps")) {
                    throw new StepFormatException("unknown field " + safe(name) + " in recorded steps; expected "
                            + "'workload' and 'steps'");
                }
            }
        }
        return root;
    }

    private static JsonNode recordField(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null) {
            throw new StepFormatException("recorded steps have no '" + name + "' field");
        }
        return n;
    }

    private static String annotationName(IterAnnotation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    private static String requireKnown(String value, Set<String> known, String what, String context) {
        if (value == null || !known.contains(value)) {
            throw new StepFormatException(context + ": " + what + " " + safe(value) + " is not one of "
                    + known.stream().sorted().toList());
        }
        return value;
    }

    private static void ints(ArrayNode a, List<Integer> xs) {
        xs.forEach(a::add);
    }

    /** A JSON value for an error message: escaped, so hostile text cannot forge lines in a log, and cut short. */
    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static String safe(String s) {
        return s == null ? "null" : describe(F.textNode(s));
    }

    /** The fields of one step object: typed getters that name the step and field on failure, and remember what was read. */
    private static final class Fields {
        private final JsonNode node;
        private final String where;
        private final Set<String> read = new HashSet<>(Set.of("t"));

        Fields(JsonNode node, String where) {
            this.node = node;
            this.where = where;
        }

        private JsonNode get(String name) {
            read.add(name);
            JsonNode n = node.get(name);
            if (n == null) {
                throw new StepFormatException(where + ": missing field '" + name + "'");
            }
            return n;
        }

        private StepFormatException bad(String name, String expected, JsonNode got) {
            return new StepFormatException(where + ": field '" + name + "' must be " + expected + ", got "
                    + describe(got));
        }

        int intValue(String name) {
            JsonNode n = get(name);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw bad(name, "a 32-bit integer", n);
            }
            return n.intValue();
        }

        int index(String name) {
            int v = intValue(name);
            if (v < 0) {
                throw bad(name, "a non-negative index", node.get(name));
            }
            return v;
        }

        long longValue(String name) {
            JsonNode n = get(name);
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw bad(name, "a 64-bit integer", n);
            }
            return n.longValue();
        }

        List<Long> longs(String name) {
            JsonNode n = get(name);
            if (!n.isArray()) {
                throw bad(name, "an array of integers", n);
            }
            List<Long> out = new ArrayList<>();
            for (JsonNode x : n) {
                if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                    throw bad(name, "an array of 64-bit integers", n);
                }
                out.add(x.longValue());
            }
            return out;
        }

        List<Integer> indices(String name) {
            JsonNode n = get(name);
            if (!n.isArray()) {
                throw bad(name, "an array of non-negative indices", n);
            }
            List<Integer> out = new ArrayList<>();
            for (JsonNode x : n) {
                if (!x.isIntegralNumber() || !x.canConvertToInt() || x.intValue() < 0) {
                    throw bad(name, "an array of non-negative indices", n);
                }
                out.add(x.intValue());
            }
            return out;
        }

        /** A string from a closed vocabulary; anything else could end up in generated C. */
        String word(String name, Set<String> known) {
            JsonNode n = get(name);
            if (!n.isTextual() || !known.contains(n.asText())) {
                throw bad(name, "one of " + known.stream().sorted().toList(), n);
            }
            return n.asText();
        }

        IterAnnotation annotation(String name) {
            JsonNode n = get(name);
            if (n.isTextual()) {
                for (IterAnnotation a : IterAnnotation.values()) {
                    if (annotationName(a).equals(n.asText())) {
                        return a;
                    }
                }
            }
            List<String> known = new ArrayList<>();
            for (IterAnnotation a : IterAnnotation.values()) {
                known.add(annotationName(a));
            }
            throw bad(name, "one of " + known, n);
        }

        void requireNoOthers() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!read.contains(name)) {
                    throw new StepFormatException(where + ": unknown field " + safe(name));
                }
            }
        }
    }
}
