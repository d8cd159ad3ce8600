package dev.lathe.codegen;

import dev.lathe.ir.DType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GCC vector-extension types a kernel uses and their small helpers, defined on first use so
 * that a kernel without vectorized loops carries none of them. For each element type and lane
 * count there is a typedef ({@code lathe_f32x16}), an unaligned load and store through
 * {@code memcpy} (a single {@code vmovups}: it needs no alignment proof, and on current x86
 * cores costs the same as the aligned form on aligned data), a broadcast and a lane-wise select
 * on an integer mask (comparisons of vectors give masks of all-ones or all-zeros lanes).
 */
final class VectorTypes {
    private final Map<String, String> definitions = new LinkedHashMap<>();

    /** The vector type of {@code lanes} elements of {@code t} (float32, float64, int32 or int64). */
    String type(DType t, int lanes) {
        String name = name(t, lanes);
        if (!definitions.containsKey(name)) {
            // The mask type first: the select helper of this type refers to it.
            String mask = name(maskElement(t.bytes()), lanes);
            if (!mask.equals(name)) {
                type(maskElement(t.bytes()), lanes);
            }
            definitions.put(name, define(t, lanes, name, mask));
        }
        return name;
    }

    /** The integer vector type whose lanes are masks for elements of {@code bytes} bytes. */
    String mask(int bytes, int lanes) {
        return type(maskElement(bytes), lanes);
    }

    /** The unsigned integer vector type of an integer element type, for arithmetic that must wrap. */
    String unsigned(DType t, int lanes) {
        type(t, lanes);
        return "lathe_u" + t.intBits() + "x" + lanes;
    }

    String load(DType t, int lanes) {
        return "lathe_load_" + type(t, lanes).substring("lathe_".length());
    }

    String store(DType t, int lanes) {
        return "lathe_store_" + type(t, lanes).substring("lathe_".length());
    }

    String splat(DType t, int lanes) {
        return "lathe_splat_" + type(t, lanes).substring("lathe_".length());
    }

    String select(DType t, int lanes) {
        return "lathe_select_" + type(t, lanes).substring("lathe_".length());
    }

    /** {@code lathe_iota_i64xL(base)}: the lanes {@code base, base + 1, ...}, the values of a vectorized loop variable. */
    String iota(int lanes) {
        return "lathe_iota_" + type(DType.INT64, lanes).substring("lathe_".length());
    }

    boolean isEmpty() {
        return definitions.isEmpty();
    }

    /** The C text of every type and helper used, in order of first use. */
    String definitions() {
        if (definitions.isEmpty()) {
            return "";
        }
        return "/* SIMD vector types (GCC vector extensions) */\n" + String.join("", definitions.values()) + "\n";
    }

    static boolean supported(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64 || t == DType.INT32 || t == DType.INT64;
    }

    private static DType maskElement(int bytes) {
        return switch (bytes) {
            case 4 -> DType.INT32;
            case 8 -> DType.INT64;
            default -> throw new IllegalArgumentException("no vector mask for " + bytes + "-byte elements");
        };
    }

    private static String name(DType t, int lanes) {
        String element = switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case INT64 -> "i64";
            default -> throw new IllegalArgumentException(t + " has no vector type");
        };
        return "lathe_" + element + "x" + lanes;
    }

    private static String define(DType t, int lanes, String name, String mask) {
        String c = t.cType();
        String s = name.substring("lathe_".length());
        long bytes = (long) lanes * t.bytes();
        StringBuilder sb = new StringBuilder();
        sb.append("typedef ").append(c).append(' ').append(name).append(" __attribute__((vector_size(").append(bytes)
                .append(")));\n");
        if (t.isInt()) {
            sb.append("typedef uint").append(t.intBits()).append("_t lathe_u").append(t.intBits()).append('x').append(lanes)
                    .append(" __attribute__((vector_size(").append(bytes).append(")));\n");
        }
        sb.append("static inline ").append(name).append(" lathe_load_").append(s).append("(const ").append(c)
                .append("* p) { ").append(name).append(" v; memcpy(&v, p, sizeof v); return v; }\n");
        sb.append("static inline void lathe_store_").append(s).append('(').append(c).append("* p, ").append(name)
                .append(" v) { memcpy(p, &v, sizeof v); }\n");
        sb.append("static inline ").append(name).append(" lathe_splat_").append(s).append('(').append(c).append(" x) { ")
                .append("return (").append(name).append("){").append(String.join(", ", java.util.Collections.nCopies(lanes, "x")))
                .append("}; }\n");
        sb.append("static inline ").append(name).append(" lathe_select_").append(s).append('(').append(mask)
                .append(" m, ").append(name).append(" a, ").append(name).append(" b) { return (").append(name)
                .append(")((m & (").append(mask).append(")a) | (~m & (").append(mask).append(")b)); }\n");
        if (t == DType.INT64) {
            sb.append("static inline ").append(name).append(" lathe_iota_").append(s).append("(int64_t base) { ")
                    .append(name).append(" v; for (int l = 0; l < ").append(lanes).append("; ++l) v[l] = base + l; return v; }\n");
        }
        return sb.toString();
    }
}
