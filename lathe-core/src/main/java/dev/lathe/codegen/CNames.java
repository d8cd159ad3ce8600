package dev.lathe.codegen;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * C identifiers for the names of a kernel: each object gets one identifier, derived from its
 * Lathe name, unique in the kernel and never a C keyword or one of the runtime's own names.
 */
final class CNames {
    private static final Set<String> RESERVED = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
            "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
            "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
            "true", "false", "args", "sizes", "main", "errno", "NAN", "INFINITY", "_Bool", "_Float16", "alignas",
            "alignof", "asm", "typeof", "omp",
            // Library functions the generated code calls or the headers declare.
            "exp", "expf", "log", "logf", "sqrt", "sqrtf", "tanh", "tanhf", "pow", "powf", "fabs", "fabsf", "abs",
            "labs", "llabs", "erf", "erff", "floor", "floorf", "ceil", "ceilf", "nearbyint", "nearbyintf", "round",
            "roundf", "div", "ldiv", "free", "malloc", "calloc", "realloc", "aligned_alloc", "memcpy", "memset",
            "exit", "abort", "rand", "fmin", "fmax", "log2", "log10", "sin", "cos", "tan", "signbit", "isnan",
            "isinf", "atoi", "qsort", "int8_t", "uint8_t", "int32_t", "int64_t", "uint16_t", "uint64_t", "size_t",
            "NULL", "INT64_MIN");

    private final Map<Object, String> names = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    /** The identifier of {@code key}, creating one from {@code hint} on first use. */
    String of(Object key, String hint) {
        String existing = names.get(key);
        if (existing != null) {
            return existing;
        }
        String base = hint.replace('.', '_');
        if (RESERVED.contains(base) || base.startsWith("lathe_") || base.startsWith("__")) {
            base = base + "_";
        }
        String name = base;
        for (int n = 1; !used.add(name); n++) {
            name = base + "_" + n;
        }
        names.put(key, name);
        return name;
    }

    /** A fresh identifier not tied to any object. */
    String fresh(String hint) {
        return of(new Object(), hint);
    }
}
