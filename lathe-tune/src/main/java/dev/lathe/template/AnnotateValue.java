package dev.lathe.template;

import dev.lathe.schedule.State;

import java.util.List;

/** The chosen annotation of each axis of an annotate knob. */
public record AnnotateValue(List<String> axes, List<AnnotationKind> kinds) {
    public AnnotateValue {
        axes = List.copyOf(axes);
        kinds = List.copyOf(kinds);
    }

    public AnnotationKind kind(String axis) {
        int i = axes.indexOf(axis);
        if (i < 0) {
            throw new IllegalArgumentException("annotate knob has no axis " + axis + "; axes are " + axes);
        }
        return kinds.get(i);
    }

    /** Annotates each axis of {@code stage} (none: leaves it). */
    public State apply(State s, String stage) {
        for (int i = 0; i < axes.size(); i++) {
            if (kinds.get(i) != AnnotationKind.NONE) {
                s = s.annotate(stage, axes.get(i), kinds.get(i).annotation());
            }
        }
        return s;
    }
}
