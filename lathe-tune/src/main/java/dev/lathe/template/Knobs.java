package dev.lathe.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a template declares its knobs with. The same template code runs in two modes: in define
 * mode every {@code define*} call adds a knob to the space and returns the knob's fallback
 * value; in apply mode it returns the value a given config chose (and checks that the knob is
 * the one of the space).
 */
public final class Knobs {
    private static final int MAX_OPTIONS = 1 << 20;

    private final List<Knob> defined = new ArrayList<>();
    private final Config config;

    private Knobs(Config config) {
        this.config = config;
    }

    static Knobs define() {
        return new Knobs(null);
    }

    static Knobs apply(Config config) {
        return new Knobs(config);
    }

    /** True while the space is being collected (values are the fallback's). */
    public boolean isDefine() {
        return config == null;
    }

    List<Knob> defined() {
        return defined;
    }

    public SplitValue defineSplit(String name, long extent, int numOutputs) {
        return defineSplit(name, extent, numOutputs, SplitPolicy.FACTORS);
    }

    /**
     * A knob over the ways to split a loop of {@code extent} into {@code numOutputs} loops
     * (FACTORS: every ordered factorization; 64 into 2 loops has 7 options).
     */
    public SplitValue defineSplit(String name, long extent, int numOutputs, SplitPolicy policy) {
        if (extent <= 0) {
            throw new IllegalArgumentException("split knob '" + name + "': extent " + extent + " is not positive");
        }
        if (numOutputs < 1) {
            throw new IllegalArgumentException("split knob '" + name + "': numOutputs " + numOutputs + " must be >= 1");
        }
        List<List<Long>> options = new ArrayList<>();
        splitOptions(extent, numOutputs - 1, policy, new ArrayList<>(), name, options);
        Knob.Split k = new Knob.Split(name, extent, numOutputs, policy, options);
        int i = register(k);
        return new SplitValue(k.options().get(i));
    }

    /** A knob over listed values: numbers, strings or booleans. */
    @SuppressWarnings("unchecked")
    public <T> T defineKnob(String name, List<T> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("knob '" + name + "' needs at least one choice");
        }
        for (T c : choices) {
            if (!(c instanceof Number || c instanceof String || c instanceof Boolean)) {
                throw new IllegalArgumentException("knob '" + name + "': choice " + c + " is not a number, string or boolean");
            }
        }
        if (new LinkedHashSet<>(choices).size() != choices.size()) {
            throw new IllegalArgumentException("knob '" + name + "' has repeated choices " + choices);
        }
        Knob.Choice k = new Knob.Choice(name, new ArrayList<>(choices));
        return (T) k.choices().get(register(k));
    }

    /** A knob over every order of {@code axes} (n! options). */
    public ReorderValue defineReorder(String name, List<String> axes) {
        if (axes.size() > 8) {
            throw new IllegalArgumentException("reorder knob '" + name + "' over " + axes.size()
                    + " axes has too many permutations: give candidates");
        }
        return defineReorder(name, axes, ConfigSpace.permutations(axes));
    }

    /** A knob over the given orders of {@code axes} (each a permutation of them). */
    public ReorderValue defineReorder(String name, List<String> axes, List<List<String>> candidates) {
        if (new LinkedHashSet<>(axes).size() != axes.size() || axes.isEmpty()) {
            throw new IllegalArgumentException("reorder knob '" + name + "': axes " + axes + " must be distinct and non-empty");
        }
        for (List<String> c : candidates) {
            if (c.size() != axes.size() || !new LinkedHashSet<>(c).equals(new LinkedHashSet<>(axes))) {
                throw new IllegalArgumentException("reorder knob '" + name + "': candidate " + c
                        + " is not a permutation of " + axes);
            }
        }
        Knob.Reorder k = new Knob.Reorder(name, axes, candidates);
        return new ReorderValue(k.options().get(register(k)));
    }

    /** A knob giving each of {@code axes} one of {@code kinds} (kinds^axes options). */
    public AnnotateValue defineAnnotate(String name, List<String> axes, AnnotationKind... kinds) {
        if (kinds.length == 0 || axes.isEmpty()) {
            throw new IllegalArgumentException("annotate knob '" + name + "' needs axes and kinds");
        }
        List<AnnotationKind> ks = List.copyOf(new LinkedHashSet<>(Arrays.asList(kinds)));
        List<List<AnnotationKind>> options = new ArrayList<>();
        annotateOptions(axes.size(), ks, new ArrayList<>(), options);
        Knob.Annotate k = new Knob.Annotate(name, axes, ks, options);
        return new AnnotateValue(axes, k.options().get(register(k)));
    }

    private int register(Knob k) {
        for (Knob d : defined) {
            if (d.name().equals(k.name())) {
                throw new IllegalArgumentException("knob '" + k.name() + "' is defined twice by the template");
            }
        }
        defined.add(k);
        if (config == null) {
            return k.fallbackIndex();
        }
        ConfigSpace space = config.space();
        int pos = space.position(k.name());
        if (pos < 0) {
            throw new ConfigException("the template defines knob '" + k.name() + "', which the config's space lacks"
                    + " (the template changed since the space was made?)");
        }
        if (!space.knobs().get(pos).sameAs(k)) {
            throw new ConfigException("the template defines knob '" + k.name() + "' differently from the config's space"
                    + " (the DAG or the template changed since the space was made?)");
        }
        return config.option(pos);
    }

    private static void splitOptions(long rest, int innerLeft, SplitPolicy policy, List<Long> inner, String name,
                                     List<List<Long>> out) {
        if (innerLeft == 0) {
            List<Long> o = new ArrayList<>();
            o.add(rest);
            o.addAll(inner);
            out.add(o);
            if (out.size() > MAX_OPTIONS) {
                throw new IllegalArgumentException("split knob '" + name + "' has more than " + MAX_OPTIONS + " options");
            }
            return;
        }
        // Factors are chosen inner-most first so that the option list is ordered by the innermost size.
        for (long f = 1; f <= rest; f = policy == SplitPolicy.POWER2 ? f * 2 : f + 1) {
            if (policy == SplitPolicy.FACTORS && rest % f != 0) {
                continue;
            }
            inner.addFirst(f);
            long next = policy == SplitPolicy.FACTORS ? rest / f : (rest + f - 1) / f;
            splitOptions(next, innerLeft - 1, policy, inner, name, out);
            inner.removeFirst();
        }
    }

    private static void annotateOptions(int axes, List<AnnotationKind> kinds, List<AnnotationKind> prefix,
                                        List<List<AnnotationKind>> out) {
        if (prefix.size() == axes) {
            out.add(List.copyOf(prefix));
            return;
        }
        for (AnnotationKind k : kinds) {
            prefix.add(k);
            annotateOptions(axes, kinds, prefix, out);
            prefix.removeLast();
        }
    }
}
