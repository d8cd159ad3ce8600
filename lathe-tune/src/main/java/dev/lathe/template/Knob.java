package dev.lathe.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One tunable dimension of a template: a finite list of options. A knob's value in a config is
 * the index of one option; in JSON it is written as the option itself (a list of split sizes, a
 * choice, an order of loops, a list of annotation kinds) so that records are readable.
 */
public sealed interface Knob permits Knob.Split, Knob.Choice, Knob.Reorder, Knob.Annotate {
    ObjectMapper JSON = new ObjectMapper();

    String name();

    /** The number of options. */
    int size();

    /** Option {@code index} as JSON. */
    JsonNode optionJson(int index);

    /** Numeric features of option {@code index} for a cost model (a fixed length per knob). */
    double[] features(int index);

    /** The option a config gets when nothing was tuned. */
    int fallbackIndex();

    /** The index of the option written as {@code value}; a clear error if there is none. */
    default int indexOfJson(JsonNode value) {
        String want = value.toString();
        for (int i = 0; i < size(); i++) {
            if (optionJson(i).toString().equals(want)) {
                return i;
            }
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(size(), 12); i++) {
            shown.add(optionJson(i).toString());
        }
        throw new ConfigException("knob '" + name() + "' has no option " + want + "; its " + size()
                + " options are " + String.join(", ", shown) + (size() > 12 ? ", ..." : ""));
    }

    /** Same kind, name and options: the test that a template defines the knob of a space again. */
    boolean sameAs(Knob other);

    /**
     * A split of a loop of extent {@code extent} into {@code numOutputs} loops; each option lists
     * the loop extents outer to inner (the outermost is the remainder, rounded up).
     */
    record Split(String name, long extent, int numOutputs, SplitPolicy policy, List<List<Long>> options)
            implements Knob {
        public Split {
            options = options.stream().map(List::copyOf).toList();
        }

        public int size() {
            return options.size();
        }

        public JsonNode optionJson(int index) {
            return JSON.valueToTree(options.get(index));
        }

        public double[] features(int index) {
            List<Long> o = options.get(index);
            double[] f = new double[o.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = Math.log(o.get(i)) / Math.log(2);
            }
            return f;
        }

        /**
         * The most balanced split: every loop as close to {@code extent^(1/n)} as the options allow;
         * on ties, larger inner loops (better for vectorizing the innermost).
         */
        public int fallbackIndex() {
            double target = Math.log(extent) / numOutputs;
            int best = 0;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int i = 0; i < options.size(); i++) {
                double s = 0;
                for (long x : options.get(i)) {
                    s += Math.abs(Math.log(x) - target);
                }
                if (s <= bestScore + 1e-12) {
                    bestScore = s;
                    best = i;
                }
            }
            return best;
        }

        public boolean sameAs(Knob other) {
            return other instanceof Split s && s.name.equals(name) && s.extent == extent && s.numOutputs == numOutputs
                    && s.policy == policy;
        }
    }

    /** A choice among listed values (numbers, strings or booleans). */
    record Choice(String name, List<Object> choices) implements Knob {
        public Choice {
            choices = List.copyOf(choices);
        }

        public int size() {
            return choices.size();
        }

        public JsonNode optionJson(int index) {
            return JSON.valueToTree(choices.get(index));
        }

        public double[] features(int index) {
            return new double[]{index, choices.get(index) instanceof Number n ? n.doubleValue() : index};
        }

        public int fallbackIndex() {
            return 0;
        }

        public boolean sameAs(Knob other) {
            return other instanceof Choice c && c.name.equals(name) && c.choices.equals(choices);
        }
    }

    /** An order of loops; each option is a permutation of {@code axes}. */
    record Reorder(String name, List<String> axes, List<List<String>> options) implements Knob {
        public Reorder {
            axes = List.copyOf(axes);
            options = options.stream().map(List::copyOf).toList();
        }

        public int size() {
            return options.size();
        }

        public JsonNode optionJson(int index) {
            return JSON.valueToTree(options.get(index));
        }

        /** The position of each axis in the order. */
        public double[] features(int index) {
            List<String> o = options.get(index);
            double[] f = new double[axes.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = o.indexOf(axes.get(i));
            }
            return f;
        }

        public int fallbackIndex() {
            return 0;
        }

        public boolean sameAs(Knob other) {
            return other instanceof Reorder r && r.name.equals(name) && r.axes.equals(axes) && r.options.equals(options);
        }
    }

    /** An annotation per axis; each option lists one kind per axis. */
    record Annotate(String name, List<String> axes, List<AnnotationKind> kinds, List<List<AnnotationKind>> options)
            implements Knob {
        public Annotate {
            axes = List.copyOf(axes);
            kinds = List.copyOf(kinds);
            options = options.stream().map(List::copyOf).toList();
        }

        public int size() {
            return options.size();
        }

        public JsonNode optionJson(int index) {
            return JSON.valueToTree(options.get(index).stream().map(AnnotationKind::label).toList());
        }

        /** One indicator per (axis, kind). */
        public double[] features(int index) {
            List<AnnotationKind> o = options.get(index);
            double[] f = new double[axes.size() * kinds.size()];
            for (int a = 0; a < axes.size(); a++) {
                f[a * kinds.size() + kinds.indexOf(o.get(a))] = 1;
            }
            return f;
        }

        public int fallbackIndex() {
            return 0;
        }

        public boolean sameAs(Knob other) {
            return other instanceof Annotate a && a.name.equals(name) && a.axes.equals(axes) && a.kinds.equals(kinds)
                    && Objects.equals(a.options, options);
        }
    }
}
