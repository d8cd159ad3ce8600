package dev.lathe.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;

/** One option per knob of a {@link ConfigSpace}. Immutable; equal when the space and options are. */
public final class Config {
    private final ConfigSpace space;
    private final int[] options;
    private final long index;

    Config(ConfigSpace space, int[] options) {
        this.space = space;
        this.options = options;
        this.index = space.indexOf(options);
    }

    public ConfigSpace space() {
        return space;
    }

    /** The position of this config in its space. */
    public long index() {
        return index;
    }

    /** The option index of knob {@code i} (declaration order). */
    public int option(int knob) {
        return options[knob];
    }

    public int[] options() {
        return options.clone();
    }

    /** The option index of the named knob. */
    public int option(String knob) {
        int p = space.position(knob);
        if (p < 0) {
            space.knob(knob); // throws with the list of knobs
        }
        return options[p];
    }

    /** The value of the named knob, as written in JSON. */
    public JsonNode value(String knob) {
        return space.knob(knob).optionJson(option(knob));
    }

    /** The features of every knob, concatenated (for the cost model). */
    public double[] features() {
        double[] out = new double[space.featureLength()];
        int at = 0;
        for (int i = 0; i < options.length; i++) {
            double[] f = space.knobs().get(i).features(options[i]);
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }

    /** {@code {"index": 123, "knobs": {"tile_i": [16, 8, 8], "order": ["k.0", "i"], ...}}}. */
    public String toJson() {
        return space.toJsonNode(this).toString();
    }

    /** A copy with the option of knob {@code knob} replaced. */
    public Config with(int knob, int option) {
        int[] o = options.clone();
        o[knob] = option;
        return space.of(o);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && Arrays.equals(c.options, options) && (c.space == space || c.space.equals(space));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
