package dev.lathe.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.Target;
import dev.lathe.schedule.Step;
import dev.lathe.schedule.StepFormatException;
import dev.lathe.schedule.StepJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The records format: version, limits, the identifier rule for names, and strict parsing of
 * one line into a {@link MeasureRecord}.
 *
 * <p>Security rule: records never carry code. Steps refer to stages and iterators by index and
 * their only strings come from closed vocabularies ({@link StepJson} enforces that); every other
 * name a record holds (target name and features, configuration keys and string values, and any
 * string inside the steps) must match {@link #NAME}, a plain identifier, or the line is rejected
 * as {@link SkipReason#UNSAFE_NAME}.
 */
public final class RecordFormat {
    /** The format version written and read. */
    public static final int VERSION = 1;
    /** Longest line read; longer lines are skipped as {@link SkipReason#TOO_LONG}. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** Longest error message kept; longer messages are cut when written. */
    public static final int MAX_MESSAGE_CHARS = 8192;
    /** A plain identifier, as for tensor and iterator names: what may reach generated C. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,63}");
    static final Pattern WORKLOAD_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final int MAX_CONFIG_DEPTH = 8;
    private static final Set<String> FIELDS = Set.of("v", "workload", "target", "steps", "config", "costs", "error",
            "message", "build_s", "run_s", "time");
    private static final Set<String> TARGET_FIELDS = Set.of("name", "features", "cores", "vector_bytes", "l1", "l2",
            "l3");

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(MAX_LINE_BYTES)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RecordFormat() {
    }

    /** True if {@code s} is a plain identifier ({@link #NAME}). */
    public static boolean isSafeName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    static void checkWorkloadKey(String key) {
        if (key == null || !WORKLOAD_KEY.matcher(key).matches()) {
            throw unsafe("workload key " + (key == null ? "null" : quote(key)) + " is not a workload key");
        }
    }

    // ---- parsing

    static MeasureRecord parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonEOFException e) {
            throw new RecordFormatException(SkipReason.TRUNCATED, "truncated JSON: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new RecordFormatException(SkipReason.CORRUPT, "not JSON: " + e.getOriginalMessage(), e);
        }
        return fromNode(node);
    }

    static MeasureRecord fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("a record must be a JSON object, got " + describe(node));
        }
        JsonNode v = node.get("v");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw invalid("field 'v' (format version) must be an integer, got " + describe(v));
        }
        if (v.intValue() != VERSION) {
            throw new RecordFormatException(SkipReason.UNSUPPORTED_VERSION, "format version " + v.intValue()
                    + " is not supported (this Lathe reads version " + VERSION + ")");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field " + quote(name));
            }
        }
        String workload = text(node, "workload");
        if (!WORKLOAD_KEY.matcher(workload).matches()) {
            throw unsafe("workload key " + quote(workload) + " is not a workload key");
        }
        Target target = targetFromJson(field(node, "target"));
        JsonNode stepsNode = field(node, "steps");
        checkNamesIn(stepsNode, "steps", 0);
        List<Step> steps;
        try {
            steps = StepJson.readSteps(stepsNode);
        } catch (StepFormatException e) {
            throw new RecordFormatException(SkipReason.INVALID, e.getMessage(), e);
        }
        String config = "";
        JsonNode c = node.get("config");
        if (c != null) {
            config = canonical(c).toString();
        }
        JsonNode costsNode = field(node, "costs");
        if (!costsNode.isArray()) {
            throw invalid("field 'costs' must be an array of seconds, got " + describe(costsNode));
        }
        List<Double> costs = new ArrayList<>();
        for (JsonNode x : costsNode) {
            if (!x.isNumber() || !Double.isFinite(x.doubleValue()) || x.doubleValue() < 0) {
                throw invalid("field 'costs' must hold non-negative finite seconds, got " + describe(x));
            }
            costs.add(x.doubleValue());
        }
        String errorName = text(node, "error");
        ErrorKind error;
        try {
            error = ErrorKind.valueOf(errorName);
        } catch (IllegalArgumentException e) {
            throw invalid("field 'error' must be an error kind, got " + quote(errorName));
        }
        String message = text(node, "message");
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw invalid("field 'message' is longer than " + MAX_MESSAGE_CHARS + " characters");
        }
        double build = number(node, "build_s");
        double run = number(node, "run_s");
        JsonNode time = field(node, "time");
        if (!time.isIntegralNumber() || !time.canConvertToLong()) {
            throw invalid("field 'time' must be epoch milliseconds, got " + describe(time));
        }
        try {
            return new MeasureRecord(VERSION, workload, target, steps, config, costs, error, message, build, run,
                    time.longValue());
        } catch (RecordFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException(SkipReason.INVALID, e.getMessage(), e);
        }
    }

    /** Every field name and string value inside the steps must be an identifier: step kinds, annotations, scopes, pragma keys. */
    private static void checkNamesIn(JsonNode n, String where, int depth) {
        if (depth > 4) {
            throw invalid(where + " are nested too deeply");
        }
        if (n.isTextual()) {
            if (!isSafeName(n.asText())) {
                throw unsafe("a name in " + where + " is not an identifier: " + quote(n.asText()));
            }
        } else if (n.isArray()) {
            for (JsonNode x : n) {
                checkNamesIn(x, where, depth + 1);
            }
        } else if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (!isSafeName(e.getKey())) {
                    throw unsafe("a field name in " + where + " is not an identifier: " + quote(e.getKey()));
                }
                checkNamesIn(e.getValue(), where, depth + 1);
            }
        }
    }

    // ---- configs

    /**
     * A template configuration in canonical form (compact JSON, keys sorted), or {@code ""} for
     * none. A configuration is a JSON object whose keys and string values are identifiers and
     * whose other values are numbers, booleans, arrays and objects of the same.
     */
    public static String canonicalConfig(String config) {
        if (config == null || config.isBlank()) {
            return "";
        }
        return canonical(parseConfig(config)).toString();
    }

    static JsonNode parseConfig(String config) {
        try {
            return MAPPER.readTree(config);
        } catch (JsonProcessingException e) {
            throw invalid("config is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode canonical(JsonNode config) {
        if (config == null || !config.isObject()) {
            throw invalid("config must be a JSON object, got " + describe(config));
        }
        return (ObjectNode) canonical(config, 0);
    }

    private static JsonNode canonical(JsonNode n, int depth) {
        if (depth > MAX_CONFIG_DEPTH) {
            throw invalid("config is nested more than " + MAX_CONFIG_DEPTH + " deep");
        }
        if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (!isSafeName(e.getKey())) {
                    throw unsafe("config key " + quote(e.getKey()) + " is not an identifier");
                }
                sorted.put(e.getKey(), canonical(e.getValue(), depth + 1));
            }
            ObjectNode o = F.objectNode();
            sorted.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            for (JsonNode x : n) {
                a.add(canonical(x, depth + 1));
            }
            return a;
        }
        if (n.isTextual()) {
            if (!isSafeName(n.asText())) {
                throw unsafe("config value " + quote(n.asText()) + " is not an identifier");
            }
            return n;
        }
        if (n.isNumber()) {
            if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
                throw invalid("config number " + n + " is not finite");
            }
            return n;
        }
        if (n.isBoolean()) {
            return n;
        }
        throw invalid("config values must be identifiers, numbers, booleans, arrays or objects, got " + describe(n));
    }

    // ---- targets

    static void checkTarget(Target t) {
        for (String f : t.features()) {
            if (!isSafeName(f)) {
                throw unsafe("target feature " + quote(f) + " is not an identifier");
            }
        }
        if (t.cores() < 0 || t.vectorBytes() < 0 || t.l1Bytes() < 0 || t.l2Bytes() < 0 || t.l3Bytes() < 0) {
            throw invalid("target sizes must be non-negative: " + t);
        }
    }

    /** A target as a JSON object. */
    public static ObjectNode targetToJson(Target t) {
        ObjectNode o = F.objectNode();
        o.put("name", t.name());
        ArrayNode f = o.putArray("features");
        new TreeSet<>(t.features()).forEach(f::add);
        o.put("cores", t.cores());
        o.put("vector_bytes", t.vectorBytes());
        o.put("l1", t.l1Bytes());
        o.put("l2", t.l2Bytes());
        o.put("l3", t.l3Bytes());
        return o;
    }

    /** Reads a target written by {@link #targetToJson}. */
    public static Target targetFromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw invalid("field 'target' must be an object, got " + describe(n));
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!TARGET_FIELDS.contains(name)) {
                throw invalid("unknown target field " + quote(name));
            }
        }
        String name = text(n, "name");
        if (!name.matches("[A-Za-z0-9_.+-]{1,64}")) {
            throw unsafe("target name " + quote(name) + " is not a target name");
        }
        JsonNode features = field(n, "features");
        if (!features.isArray()) {
            throw invalid("target features must be an array of names, got " + describe(features));
        }
        Set<String> fs = new TreeSet<>();
        for (JsonNode x : features) {
            if (!x.isTextual()) {
                throw invalid("target features must be names, got " + describe(x));
            }
            if (!isSafeName(x.asText())) {
                throw unsafe("target feature " + quote(x.asText()) + " is not an identifier");
            }
            fs.add(x.asText());
        }
        return new Target(name, fs, (int) integer(n, "cores", Integer.MAX_VALUE), (int) integer(n, "vector_bytes", 4096),
                integer(n, "l1", Long.MAX_VALUE), integer(n, "l2", Long.MAX_VALUE), integer(n, "l3", Long.MAX_VALUE));
    }

    // ---- helpers

    static String clip(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode x = n.get(name);
        if (x == null) {
            throw invalid("missing field '" + name + "'");
        }
        return x;
    }

    private static String text(JsonNode n, String name) {
        JsonNode x = field(n, name);
        if (!x.isTextual()) {
            throw invalid("field '" + name + "' must be a string, got " + describe(x));
        }
        return x.asText();
    }

    private static double number(JsonNode n, String name) {
        JsonNode x = field(n, name);
        if (!x.isNumber() || !Double.isFinite(x.doubleValue())) {
            throw invalid("field '" + name + "' must be a finite number, got " + describe(x));
        }
        return x.doubleValue();
    }

    private static long integer(JsonNode n, String name, long max) {
        JsonNode x = field(n, name);
        if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < 0 || x.longValue() > max) {
            throw invalid("field '" + name + "' must be an integer in [0, " + max + "], got " + describe(x));
        }
        return x.longValue();
    }

    private static RecordFormatException invalid(String message) {
        return new RecordFormatException(SkipReason.INVALID, message);
    }

    private static RecordFormatException unsafe(String message) {
        return new RecordFormatException(SkipReason.UNSAFE_NAME, message);
    }

    /** A JSON value for a message: escaped (hostile text cannot forge log lines) and cut short. */
    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static String quote(String s) {
        return describe(F.textNode(s));
    }
}
