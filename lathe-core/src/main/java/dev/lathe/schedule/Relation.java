package dev.lathe.schedule;

import dev.lathe.ir.Expr;

/** How iterators derive from each other: {@code parent = outer * factor + inner}, or {@code fused = outer * extent(inner) + inner}. */
public sealed interface Relation {
    /** A split of {@code parent} into {@code outer} and {@code inner} (extent {@code factor}). */
    record Split(int parent, int outer, int inner, Expr factor) implements Relation {
    }

    /** A fuse of two adjacent iterators into one. */
    record Fuse(int outer, int inner, int fused) implements Relation {
    }
}
