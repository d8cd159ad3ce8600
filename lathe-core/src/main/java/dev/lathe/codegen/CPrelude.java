package dev.lathe.codegen;

/**
 * The helpers every generated kernel starts with: exact integer division, min/max with the
 * semantics of a compare-and-select, float16 storage conversion, the thread count of parallel
 * loops ({@code lathe_set_threads}, the one exported symbol besides the entry), and the fault
 * flag through which a kernel reports bad input (division by zero, an index read from data that
 * is out of bounds, failed allocation) instead of crashing the process.
 */
final class CPrelude {
    private CPrelude() {
    }

    /** Fault codes reported by a kernel's return value. Codes from {@link #FIRST_SITE} on name a checked read site. */
    static final int FAULT_DIV_ZERO = 1;
    static final int FAULT_OOM = 2;
    static final int FIRST_SITE = 100;

    static final String TEXT = """
            #include <stdint.h>
            #include <stdbool.h>
            #include <stdlib.h>
            #include <string.h>
            #include <math.h>
            #ifdef _OPENMP
            #include <omp.h>
            #endif

            /* Threads of parallel loops, set by the runtime before each call; 0: OpenMP's default. */
            static int lathe_threads;
            void lathe_set_threads(int n) { lathe_threads = n > 0 ? n : 0; }
            static inline int lathe_num_threads(void) {
            #ifdef _OPENMP
              return lathe_threads > 0 ? lathe_threads : omp_get_max_threads();
            #else
              return 1;
            #endif
            }

            /* A plain volatile store, not an atomic one: GCC treats an atomic store as clobbering all
               memory, so every bounds check on a hot path reloaded the index arrays and operands after it
               (14 reloads per block in a sparse conv). Any thread's nonzero code reports the fault. */
            static volatile int lathe_fault_code;
            static inline void lathe_fault(int code) { lathe_fault_code = code; }

            static inline int64_t lathe_floordiv(int64_t a, int64_t b) {
              if (b == 0 || (b == -1 && a == INT64_MIN)) { lathe_fault(1); return 0; }
              int64_t q = a / b;
              return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
            }
            static inline int64_t lathe_floormod(int64_t a, int64_t b) {
              if (b == 0) { lathe_fault(1); return 0; }
              if (b == -1) return 0;
              int64_t r = a % b;
              return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            static inline int64_t lathe_truncdiv(int64_t a, int64_t b) {
              if (b == 0 || (b == -1 && a == INT64_MIN)) { lathe_fault(1); return 0; }
              return a / b;
            }
            static inline int64_t lathe_truncmod(int64_t a, int64_t b) {
              if (b == 0) { lathe_fault(1); return 0; }
              if (b == -1) return 0;
              return a % b;
            }
            static inline int64_t lathe_chk(int64_t i, int64_t n, int site) {
              if ((uint64_t)i >= (uint64_t)n) { lathe_fault(site); return 0; }
              return i;
            }
            static inline void* lathe_alloc(size_t bytes) {
              void* p = aligned_alloc(64, (bytes + 63) / 64 * 64);
              if (!p) lathe_fault(2);
              return p;
            }
            #define LATHE_MINMAX(T, S) \\
              static inline T lathe_min_##S(T a, T b) { return a < b ? a : b; } \\
              static inline T lathe_max_##S(T a, T b) { return a > b ? a : b; }
            LATHE_MINMAX(float, f32) LATHE_MINMAX(double, f64) LATHE_MINMAX(int8_t, i8) LATHE_MINMAX(uint8_t, u8)
            LATHE_MINMAX(int32_t, i32) LATHE_MINMAX(int64_t, i64) LATHE_MINMAX(bool, b)
            static inline float lathe_h2f(uint16_t h) { _Float16 f; memcpy(&f, &h, 2); return (float)f; }
            static inline uint16_t lathe_f2h(float x) { _Float16 f = (_Float16)x; uint16_t h; memcpy(&h, &f, 2); return h; }
            static inline float lathe_round_f16(float x) { return (float)(_Float16)x; }
            static inline float lathe_sigmoid_f32(float x) { return 1.0f / (1.0f + expf(-x)); }
            static inline double lathe_sigmoid_f64(double x) { return 1.0 / (1.0 + exp(-x)); }
            """;
}
