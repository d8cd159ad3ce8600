package dev.lathe.tir;

/** How a loop is executed. */
public enum ForKind {
    SERIAL, PARALLEL, VECTORIZED, UNROLLED
}
