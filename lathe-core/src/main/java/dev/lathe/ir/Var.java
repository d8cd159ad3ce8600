package dev.lathe.ir;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A variable: a loop or iteration variable, a size variable of a symbolic shape, or a bound
 * name in a reducer's combiner. Two variables are the same only if they were created by the
 * same call: the {@code id} makes equal names distinct.
 */
public record Var(String name, DType dtype, long id) implements Expr {
    private static final AtomicLong NEXT = new AtomicLong();

    public Var {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a variable needs a non-empty name");
        }
    }

    /** A fresh int64 variable. */
    public static Var of(String name) {
        return of(name, DType.INT64);
    }

    /** A fresh variable of the given type. */
    public static Var of(String name, DType dtype) {
        return new Var(name, dtype, NEXT.incrementAndGet());
    }

    /** A fresh variable with the same name and type. */
    public Var copy() {
        return of(name, dtype);
    }

    @Override
    public String toString() {
        return name;
    }
}
