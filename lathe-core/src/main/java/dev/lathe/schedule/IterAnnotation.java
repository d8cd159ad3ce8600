package dev.lathe.schedule;

/** How a loop runs: in order, spread over threads, as SIMD lanes, or unrolled. */
public enum IterAnnotation {
    NONE(""), PARALLEL("parallel"), VECTORIZE("vectorize"), UNROLL("unroll");

    private final String label;

    IterAnnotation(String label) {
        this.label = label;
    }

    /** The word used in the loop-nest notation ({@code :parallel}). */
    public String label() {
        return label;
    }
}
