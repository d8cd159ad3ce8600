package dev.lathe.arith;

import dev.lathe.ir.DType;

/**
 * A closed interval {@code [min, max]} of integer values, with saturating interval arithmetic.
 *
 * <p>The arithmetic is exact on mathematical integers except that it saturates at the ends of
 * {@code long}: a saturated end means "this far or further", which is what int64 index
 * arithmetic may assume (it does not overflow). Narrower types do wrap, so results are passed
 * through {@link #fit(DType)}, which widens an interval that leaves its type to the whole type.
 */
public record Bound(long min, long max) {
    public static final Bound EVERYTHING = new Bound(Long.MIN_VALUE, Long.MAX_VALUE);
    public static final Bound BOOL = new Bound(0, 1);

    public Bound {
        if (min > max) {
            throw new IllegalArgumentException("empty bound [" + min + ", " + max + "]");
        }
    }

    public static Bound of(long min, long max) {
        return new Bound(min, max);
    }

    public static Bound point(long v) {
        return new Bound(v, v);
    }

    /** All values of a type: its range for integers and bool, everything for floats. */
    public static Bound of(DType t) {
        return switch (t) {
            case INT8 -> new Bound(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> new Bound(0, 255);
            case INT32 -> new Bound(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BOOL -> BOOL;
            case INT64, FLOAT16, FLOAT32, FLOAT64 -> EVERYTHING;
        };
    }

    public boolean isPoint() {
        return min == max;
    }

    public boolean contains(long v) {
        return min <= v && v <= max;
    }

    public boolean within(Bound o) {
        return o.min <= min && max <= o.max;
    }

    /** This bound if it lies within type {@code t}, else all of {@code t} (the value may have wrapped). */
    public Bound fit(DType t) {
        Bound all = of(t);
        return within(all) ? this : all;
    }

    public Bound union(Bound o) {
        return new Bound(Math.min(min, o.min), Math.max(max, o.max));
    }

    /** The intersection; {@code this} when the two do not meet (both are over-approximations, so that cannot happen on reachable values). */
    public Bound intersect(Bound o) {
        long lo = Math.max(min, o.min);
        long hi = Math.min(max, o.max);
        return lo <= hi ? new Bound(lo, hi) : this;
    }

    public Bound add(Bound o) {
        return new Bound(sadd(min, o.min), sadd(max, o.max));
    }

    public Bound sub(Bound o) {
        return new Bound(ssub(min, o.max), ssub(max, o.min));
    }

    public Bound neg() {
        return new Bound(sneg(max), sneg(min));
    }

    public Bound mul(Bound o) {
        long a = smul(min, o.min);
        long b = smul(min, o.max);
        long c = smul(max, o.min);
        long d = smul(max, o.max);
        return new Bound(Math.min(Math.min(a, b), Math.min(c, d)), Math.max(Math.max(a, b), Math.max(c, d)));
    }

    public Bound mul(long k) {
        return mul(point(k));
    }

    public Bound min(Bound o) {
        return new Bound(Math.min(min, o.min), Math.min(max, o.max));
    }

    public Bound max(Bound o) {
        return new Bound(Math.max(min, o.min), Math.max(max, o.max));
    }

    /** Floor division; everything when the divisor may be zero. */
    public Bound floorDiv(Bound d) {
        if (d.contains(0)) {
            return EVERYTHING;
        }
        if (d.max < 0) {
            return neg().floorDiv(d.neg());
        }
        // floor(x / y) for y > 0 rises with x; it falls with y for x >= 0 and rises with y for x < 0.
        return new Bound(Math.min(Math.floorDiv(min, d.min), Math.floorDiv(min, d.max)),
                Math.max(Math.floorDiv(max, d.min), Math.floorDiv(max, d.max)));
    }

    /** Truncating division; everything when the divisor may be zero. */
    public Bound truncDiv(Bound d) {
        if (d.contains(0)) {
            return EVERYTHING;
        }
        if (d.max < 0) {
            return neg().truncDiv(d.neg());
        }
        return new Bound(Math.min(min / d.min, min / d.max), Math.max(max / d.min, max / d.max));
    }

    /** Floor modulo (sign of the divisor); everything when the divisor may be zero. */
    public Bound floorMod(Bound d) {
        if (d.contains(0)) {
            return EVERYTHING;
        }
        if (d.min > 0) {
            if (min >= 0 && max < d.min) {
                return this;
            }
            if (d.isPoint() && Math.floorDiv(min, d.min) == Math.floorDiv(max, d.min)) {
                return new Bound(Math.floorMod(min, d.min), Math.floorMod(max, d.min));
            }
            return new Bound(0, d.max - 1);
        }
        return new Bound(d.min + 1, 0);
    }

    /** Truncating modulo (sign of the dividend); everything when the divisor may be zero. */
    public Bound truncMod(Bound d) {
        if (d.contains(0)) {
            return EVERYTHING;
        }
        long smallest = d.min > 0 ? d.min : sneg(d.max);
        long largest = d.min > 0 ? d.max : sneg(d.min);
        if (min >= 0 && max < smallest || max <= 0 && min > -smallest) {
            return this;
        }
        long lim = largest - 1;
        return new Bound(min >= 0 ? 0 : Math.max(min, -lim), max <= 0 ? 0 : Math.min(max, lim));
    }

    static long sadd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    static long ssub(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    static long sneg(long a) {
        return a == Long.MIN_VALUE ? Long.MAX_VALUE : -a;
    }

    static long smul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi == 0 && lo >= 0 || hi == -1 && lo < 0) {
            return lo;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
