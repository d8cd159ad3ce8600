package dev.lathe.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The knobs a template declared, in declaration order, and the configs they span. A config is
 * one option per knob; its index is the mixed-radix number of the option indices with the first
 * knob varying fastest. The size may be huge (up to {@link Long#MAX_VALUE}); nothing enumerates
 * the space except {@link GridTuner}.
 */
public final class ConfigSpace {
    private final List<Knob> knobs;
    private final Map<String, Integer> byName = new LinkedHashMap<>();
    private final long size;

    public ConfigSpace(List<Knob> knobs) {
        this.knobs = List.copyOf(knobs);
        long s = 1;
        for (int i = 0; i < this.knobs.size(); i++) {
            Knob k = this.knobs.get(i);
            if (byName.put(k.name(), i) != null) {
                throw new IllegalArgumentException("knob '" + k.name() + "' is defined twice");
            }
            if (k.size() == 0) {
                throw new IllegalArgumentException("knob '" + k.name() + "' has no options");
            }
            try {
                s = Math.multiplyExact(s, k.size());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the config space has more than 2^63 configs (at knob '" + k.name()
                        + "'): narrow a knob's options");
            }
        }
        this.size = s;
    }

    public List<Knob> knobs() {
        return knobs;
    }

    public Knob knob(String name) {
        Integer i = byName.get(name);
        if (i == null) {
            throw new ConfigException("no knob '" + name + "' in this space; knobs are " + byName.keySet());
        }
        return knobs.get(i);
    }

    int position(String name) {
        Integer i = byName.get(name);
        return i == null ? -1 : i;
    }

    /** The number of configs. */
    public long size() {
        return size;
    }

    public Config get(long index) {
        if (index < 0 || index >= size) {
            throw new ConfigException("config index " + index + " is outside [0, " + size + ")");
        }
        int[] opts = new int[knobs.size()];
        long rest = index;
        for (int i = 0; i < opts.length; i++) {
            int n = knobs.get(i).size();
            opts[i] = (int) (rest % n);
            rest /= n;
        }
        return new Config(this, opts);
    }

    /** The config of the given option indices, one per knob. */
    public Config of(int... optionIndices) {
        if (optionIndices.length != knobs.size()) {
            throw new ConfigException("a config of this space has " + knobs.size() + " option indices, got "
                    + optionIndices.length);
        }
        for (int i = 0; i < optionIndices.length; i++) {
            if (optionIndices[i] < 0 || optionIndices[i] >= knobs.get(i).size()) {
                throw new ConfigException("knob '" + knobs.get(i).name() + "': option index " + optionIndices[i]
                        + " is outside [0, " + knobs.get(i).size() + ")");
            }
        }
        return new Config(this, optionIndices.clone());
    }

    long indexOf(int[] opts) {
        long index = 0;
        for (int i = opts.length - 1; i >= 0; i--) {
            index = index * knobs.get(i).size() + opts[i];
        }
        return index;
    }

    /** The default config: balanced splits, the first choice, order and annotation. */
    public Config fallback() {
        int[] opts = new int[knobs.size()];
        for (int i = 0; i < opts.length; i++) {
            opts[i] = knobs.get(i).fallbackIndex();
        }
        return new Config(this, opts);
    }

    public Config random(Random rng) {
        int[] opts = new int[knobs.size()];
        for (int i = 0; i < opts.length; i++) {
            opts[i] = rng.nextInt(knobs.get(i).size());
        }
        return new Config(this, opts);
    }

    /** The number of features {@link Config#features()} gives. */
    public int featureLength() {
        int n = 0;
        for (Knob k : knobs) {
            n += k.features(0).length;
        }
        return n;
    }

    /**
     * Parses a config written by {@link Config#toJson()}: {@code {"index": i, "knobs": {name: value}}}.
     * Every knob must be given, with one of its options; unknown knobs, unknown fields and an index
     * that disagrees with the knobs are errors.
     */
    public Config parse(String json) {
        JsonNode root;
        try {
            root = Knob.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config JSON must be an object {\"index\": ..., \"knobs\": {...}}, got " + json);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("index") && !f.equals("knobs")) {
                throw new ConfigException("config JSON has an unknown field '" + f + "' (fields are index, knobs)");
            }
        }
        JsonNode values = root.get("knobs");
        if (values == null || !values.isObject()) {
            throw new ConfigException("config JSON needs an object field \"knobs\", got " + json);
        }
        int[] opts = new int[knobs.size()];
        List<String> missing = new ArrayList<>(byName.keySet());
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int pos = position(e.getKey());
            if (pos < 0) {
                throw new ConfigException("config has an unknown knob '" + e.getKey() + "'; knobs of this space are "
                        + byName.keySet());
            }
            opts[pos] = knobs.get(pos).indexOfJson(e.getValue());
            missing.remove(e.getKey());
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("config lacks knob(s) " + missing);
        }
        Config c = new Config(this, opts);
        JsonNode index = root.get("index");
        if (index != null && !(index.canConvertToLong() && index.isIntegralNumber() && index.asLong() == c.index())) {
            throw new ConfigException("config index " + index + " disagrees with its knobs, which make index " + c.index());
        }
        return c;
    }

    ObjectNode toJsonNode(Config c) {
        ObjectNode root = Knob.JSON.createObjectNode();
        root.put("index", c.index());
        ObjectNode values = root.putObject("knobs");
        for (int i = 0; i < knobs.size(); i++) {
            values.set(knobs.get(i).name(), knobs.get(i).optionJson(c.option(i)));
        }
        return root;
    }

    /** Equal when the knobs (names, kinds and options, in order) are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigSpace s && s.knobs.equals(knobs);
    }

    @Override
    public int hashCode() {
        return knobs.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ConfigSpace(size=" + size + ")");
        for (Knob k : knobs) {
            sb.append("\n  ").append(k.name()).append(": ").append(k.getClass().getSimpleName().toLowerCase())
                    .append(", ").append(k.size()).append(" options");
        }
        return sb.toString();
    }

    static <T> List<List<T>> permutations(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        permute(new ArrayList<>(items), 0, out);
        return out;
    }

    private static <T> void permute(List<T> a, int k, List<List<T>> out) {
        if (k == a.size()) {
            out.add(List.copyOf(a));
            return;
        }
        for (int i = k; i < a.size(); i++) {
            Collections.swap(a, k, i);
            permute(a, k + 1, out);
            Collections.swap(a, k, i);
        }
    }
}
