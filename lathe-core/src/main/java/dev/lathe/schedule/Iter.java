package dev.lathe.schedule;

import dev.lathe.ir.IterKind;

/**
 * A loop iterator of a stage: an original axis of the computation, or one made by a split or a
 * fuse. {@code id} is unique within its stage and never reused, so relations can refer to it.
 */
public record Iter(int id, String name, IterKind kind, IterAnnotation annotation) {
    public Iter withAnnotation(IterAnnotation a) {
        return new Iter(id, name, kind, a);
    }

    @Override
    public String toString() {
        return name;
    }
}
