package dev.lathe.template;

import dev.lathe.schedule.IterAnnotation;

/** What an annotate knob may do to a loop. */
public enum AnnotationKind {
    NONE("none", IterAnnotation.NONE),
    UNROLL("unroll", IterAnnotation.UNROLL),
    VECTORIZE("vectorize", IterAnnotation.VECTORIZE),
    PARALLEL("parallel", IterAnnotation.PARALLEL);

    private final String label;
    private final IterAnnotation annotation;

    AnnotationKind(String label, IterAnnotation annotation) {
        this.label = label;
        this.annotation = annotation;
    }

    /** The word written in config JSON. */
    public String label() {
        return label;
    }

    public IterAnnotation annotation() {
        return annotation;
    }
}
