package dev.lathe.autoschedule;

import dev.lathe.measure.Target;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The static mode's tile lengths for a sketch's multi-level tiles.
 * <ul>
 * <li>Register tile (the innermost space tiles of a tiled stage): the innermost output axis gets 2 vectors
 *     of the target (1 if 2 do not divide it), the output axis before it as many rows as keep the
 *     accumulators within {@code min(16, registers - 4)} vectors (16 registers with AVX2, 32 with AVX-512;
 *     16 is the code generator's register-tile limit).</li>
 * <li>Middle tiles: the tiles of the innermost axis go to the outer (parallel) level, those of the row axis
 *     to the middle level, so that one panel of the reused input (K × columns) stays in L2 while row tiles
 *     stream through; row tiles move outwards while the parallel loop has fewer than 2 × cores iterations.</li>
 * <li>Reductions stay whole inside the register tile (they accumulate in registers).</li>
 * </ul>
 */
final class StaticTileSizes {
    /** The code generator keeps at most this many vectors of a tile in registers. */
    static final int MAX_TILE_VECTORS = 16;

    private StaticTileSizes() {
    }

    /** Float32 registers of the target's vector width. */
    static int vectorRegisters(Target t) {
        return t.vectorBytes() >= 64 ? 32 : 16;
    }

    /**
     * Tile lengths: the tiles of one tiled stage are a run of 4-level (space) tiles followed by 2-level
     * (reduce) tiles; a lone 2-level tile is an rfactor split.
     */
    static long[][] tileSizes(Sketch sketch, Target target) {
        List<Sketch.Tile> tiles = sketch.tiles();
        long[][] out = new long[tiles.size()][];
        int lanes = Math.max(1, target.lanesF32());
        int budget = Math.max(2, Math.min(MAX_TILE_VECTORS, vectorRegisters(target) - 4));
        Map<Integer, SparseTiling.RegisterTile> sparse = SparseTiling.registerTiles(sketch);
        int t = 0;
        while (t < tiles.size()) {
            int start = t;
            if (sparse.containsKey(t)) {
                SparseTiling.RegisterTile rt = sparse.get(t);
                while (t < tiles.size() && rt.equals(sparse.get(t))) {
                    t++;
                }
                sparseGroup(tiles, out, start, t, rt, lanes, budget);
                continue;
            }
            while (t < tiles.size() && tiles.get(t).levels() == SketchRules.SPACE_LEVELS && !sparse.containsKey(t)) {
                t++;
            }
            int spaceEnd = t;
            while (t < tiles.size() && tiles.get(t).levels() != SketchRules.SPACE_LEVELS && !sparse.containsKey(t)) {
                t++;
            }
            if (spaceEnd == start) {
                // Reduce tiles without space tiles (rfactor): an inner part of at most 2 vectors.
                for (int r = start; r < t; r++) {
                    out[r] = reduceSplit(tiles.get(r), lanes);
                }
                continue;
            }
            spaceGroup(tiles, out, start, spaceEnd, lanes, budget, target.cores());
            for (int r = spaceEnd; r < t; r++) {
                Sketch.Tile tile = tiles.get(r);
                long[] len = new long[tile.levels()];
                Arrays.fill(len, 1);
                len[len.length - 1] = Math.max(1, tile.extent());
                out[r] = len;
            }
        }
        return out;
    }

    private static long[] reduceSplit(Sketch.Tile tile, int lanes) {
        long[] len = new long[tile.levels()];
        Arrays.fill(len, 1);
        long ext = Math.max(1, tile.extent());
        long inner = largestDivisor(ext, 2L * lanes);
        len[len.length - 1] = inner;
        len[0] = ext / inner;
        return len;
    }

    private static void spaceGroup(List<Sketch.Tile> tiles, long[][] out, int start, int end, int lanes, int budget,
                                   int cores) {
        int n = end - start;
        long[][] len = new long[n][];
        for (int d = 0; d < n; d++) {
            len[d] = new long[SketchRules.SPACE_LEVELS];
            Arrays.fill(len[d], 1);
        }
        // The innermost axis with extent > 1 is vectorized; the one before it with extent > 1 gives the rows.
        int vec = -1;
        for (int d = n - 1; d >= 0; d--) {
            if (tiles.get(start + d).extent() > 1) {
                vec = d;
                break;
            }
        }
        int rows = -1;
        for (int d = vec - 1; d >= 0; d--) {
            if (tiles.get(start + d).extent() > 1) {
                rows = d;
                break;
            }
        }
        long[] rest = new long[n];
        for (int d = 0; d < n; d++) {
            rest[d] = Math.max(1, tiles.get(start + d).extent());
        }
        int vectors = 1;
        if (vec >= 0) {
            long e = rest[vec];
            long cols;
            if (e % (2L * lanes) == 0) {
                cols = 2L * lanes;
                vectors = 2;
            } else if (e % lanes == 0) {
                cols = lanes;
            } else {
                cols = largestDivisor(e, 2L * lanes);
                vectors = (int) Math.max(1, (cols + lanes - 1) / lanes);
            }
            len[vec][3] = cols;
            rest[vec] /= cols;
        }
        if (rows >= 0) {
            long r = largestDivisor(rest[rows], Math.max(1, budget / vectors));
            len[rows][3] = r;
            rest[rows] /= r;
        }
        // Middle level: the row axis (so the panel of the vectorized axis is reused across it); the rest outer.
        for (int d = 0; d < n; d++) {
            if (d == rows) {
                len[d][1] = rest[d];
            } else {
                len[d][0] = rest[d];
            }
        }
        // Enough parallel work: move row tiles outwards while the outer level has < 2 × cores iterations.
        long outer = 1;
        for (int d = 0; d < n; d++) {
            outer *= len[d][0];
        }
        long want = 2L * Math.max(1, cores);
        if (rows >= 0) {
            while (outer < want && len[rows][1] > 1) {
                long p = smallestPrimeFactor(len[rows][1]);
                len[rows][1] /= p;
                len[rows][0] *= p;
                outer *= p;
            }
        }
        for (int d = 0; d < n; d++) {
            out[start + d] = len[d];
        }
    }

    /**
     * The dense tiles of a sparse stage ({@link SparseTiling}): everything inside the sparse loop is
     * the register tile, so the two inner levels hold it and the outer level the rest. When the
     * block's rows are the vectorized axis (a sparse convolution's output channels, a sparse
     * layer's outputs), they are the tile's columns and the dense axes its rows: the innermost dense
     * axis gets as many as the register budget allows, then the one before it. Otherwise the
     * block's rows are unrolled and the innermost dense axis is vectorized, with as many vectors as
     * the budget leaves per block row.
     */
    private static void sparseGroup(List<Sketch.Tile> tiles, long[][] out, int start, int end,
                                    SparseTiling.RegisterTile rt, int lanes, int budget) {
        long[] rest = new long[end - start];
        for (int d = 0; d < rest.length; d++) {
            rest[d] = Math.max(1, tiles.get(start + d).extent());
            out[start + d] = new long[SketchRules.SPACE_LEVELS];
            Arrays.fill(out[start + d], 1);
        }
        if (rt.rowsInnermost()) {
            long room = Math.max(1, budget / Math.max(1, (rt.blockRows() + lanes - 1) / lanes));
            for (int d = rest.length - 1; d >= 0 && room > 1; d--) {
                long r = largestDivisor(rest[d], room);
                out[start + d][3] = r;
                rest[d] /= r;
                room /= r;
            }
        } else {
            int inner = rest.length - 1;
            while (inner > 0 && rest[inner] == 1) {
                inner--;
            }
            if (inner >= 0) {
                long vectors = Math.max(1, budget / Math.max(1, rt.blockRows()));
                long cols = 0;
                for (long v = vectors; v >= 1 && cols == 0; v--) {
                    cols = rest[inner] % (v * lanes) == 0 ? v * lanes : 0;
                }
                if (cols == 0) {
                    cols = largestDivisor(rest[inner], vectors * lanes);
                }
                out[start + inner][3] = cols;
                rest[inner] /= cols;
            }
        }
        for (int d = 0; d < rest.length; d++) {
            out[start + d][0] = rest[d];
        }
    }

    static long largestDivisor(long n, long max) {
        for (long d = Math.min(n, max); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private static long smallestPrimeFactor(long n) {
        for (long p = 2; p * p <= n; p++) {
            if (n % p == 0) {
                return p;
            }
        }
        return n;
    }
}
