package dev.lathe.schedule;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Printer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints a state as its loop tree in the compact notation of {@code docs/loop-nest-notation.md}:
 * <pre>
 * {i.0, j.0}:parallel, i.1, j.1 =>
 *     k.0, i.2:unroll, k.1, j.2:vectorize =>
 *         @C.local = {i.0, i.1, i.2}/i, {j.0, j.1, j.2}/j // {k.0, k.1}/k
 *     i.2, j.2:vectorize =>
 *         @C = {i.0, i.1, i.2}/i, {j.0, j.1, j.2}/j
 * </pre>
 * A line {@code a, b =>} opens a level: consecutive loops of one stage, in its loop order. A
 * stage's loops are broken into levels only where another stage is computed at one of them, so
 * that the attached stage can be printed inside that loop, before the loops that follow it. The
 * output is deterministic: stages appear in the state's (topological) order.
 */
public final class LoopNestPrinter {
    private static final String INDENT = "    ";

    private final State state;
    private final boolean showExtents;
    private final List<String> lines = new ArrayList<>();
    /** For each target stage, the stages computed at each of its loops, in stage order. */
    private final Map<Integer, Map<Integer, List<Integer>>> attached = new HashMap<>();
    private final Set<Integer> dangling = new HashSet<>();
    private final Set<Integer> printed = new HashSet<>();

    private LoopNestPrinter(State state, boolean showExtents) {
        this.state = state;
        this.showExtents = showExtents;
    }

    /** The loop tree of the state, without extents. */
    public static String print(State state) {
        return print(state, false);
    }

    /**
     * The loop tree of the state; with {@code showExtents}, every loop carries its trip count,
     * {@code i.1(32)}. Stages computed at a loop of another get their extents from bound
     * inference during lowering, so their loops print {@code (?)}.
     */
    public static String print(State state, boolean showExtents) {
        LoopNestPrinter p = new LoopNestPrinter(state, showExtents);
        p.run();
        return String.join("\n", p.lines);
    }

    private void run() {
        List<Stage> stages = state.stages();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).location() instanceof ComputeLocation.At at) {
                if (isAttachable(at)) {
                    attached.computeIfAbsent(at.stage(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(at.iter(), k -> new ArrayList<>()).add(i);
                } else {
                    dangling.add(i);
                }
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            Stage st = stages.get(i);
            if (st.isPlaceholder()) {
                continue;
            }
            switch (st.location()) {
                case ComputeLocation.Root _ -> nest(i, 0);
                case ComputeLocation.Inlined _ -> lines.add("@" + st.name() + " inlined");
                case ComputeLocation.At at -> {
                    if (dangling.contains(i)) {
                        // A later split or fuse of the target loop leaves the attachment pointing at
                        // a loop that no longer exists; show the stage rather than lose it.
                        lines.add("# " + st.name() + " is computed at " + describeTarget(at) + ", which is no longer a loop");
                        nest(i, 0);
                    }
                }
            }
        }
    }

    private boolean isAttachable(ComputeLocation.At at) {
        if (at.stage() < 0 || at.stage() >= state.stages().size()) {
            return false;
        }
        Stage target = state.stages().get(at.stage());
        return !target.isPlaceholder() && !(target.location() instanceof ComputeLocation.Inlined)
                && target.leaves().contains(at.iter());
    }

    private String describeTarget(ComputeLocation.At at) {
        if (at.stage() < 0 || at.stage() >= state.stages().size()) {
            return "stage " + at.stage();
        }
        Stage target = state.stages().get(at.stage());
        return at.iter() >= 0 && at.iter() < target.iters().size()
                ? target.name() + "." + target.iter(at.iter()).name() : target.name() + " iterator " + at.iter();
    }

    /** Prints stage {@code index}'s levels, with attached stages nested, and its statement innermost. */
    private void nest(int index, int depth) {
        if (!printed.add(index)) {
            return;
        }
        Stage st = state.stages().get(index);
        Map<Integer, List<Integer>> here = attached.getOrDefault(index, Map.of());
        Map<Integer, Expr> extents = showExtents && st.location() instanceof ComputeLocation.Root
                ? Extents.all(st, Extents.rootExtents(st)) : Map.of();
        List<Integer> leaves = st.leaves();
        List<String> level = new ArrayList<>();
        for (int p = 0; p < leaves.size(); p++) {
            int id = leaves.get(p);
            level.add(loop(st, id, extents));
            List<Integer> inside = here.getOrDefault(id, List.of());
            if (p == leaves.size() - 1 || !inside.isEmpty()) {
                lines.add(INDENT.repeat(depth) + String.join(", ", level) + " =>");
                level.clear();
                depth++;
                for (int a : inside) {
                    nest(a, depth);
                }
            }
        }
        lines.add(INDENT.repeat(depth) + statement(st));
    }

    private String loop(Stage st, int id, Map<Integer, Expr> extents) {
        StringBuilder sb = new StringBuilder(display(st, id));
        if (showExtents) {
            Expr e = extents.get(id);
            sb.append('(').append(e == null ? "?" : Printer.expr(e)).append(')');
        }
        IterAnnotation a = st.iter(id).annotation();
        if (a != IterAnnotation.NONE) {
            sb.append(':').append(a.label());
        }
        return sb.toString();
    }

    /**
     * How an iterator is written: a root or split piece by its name; a fused iterator as
     * {@code {a, b}} of what was fused (nested fuses flattened); a piece of a split fused iterator
     * as the fused form followed by the piece's suffix, {@code {i, j}.0}, since its own name
     * ({@code i@j.0}) would hide the structure.
     */
    static String display(Stage st, int id) {
        if (id < st.numRoots()) {
            return st.iter(id).name();
        }
        Relation rel = st.relationProducing(id).orElse(null);
        return switch (rel) {
            case null -> st.iter(id).name();
            case Relation.Fuse f -> {
                List<String> parts = new ArrayList<>();
                fuseParts(st, f.outer(), parts);
                fuseParts(st, f.inner(), parts);
                yield "{" + String.join(", ", parts) + "}";
            }
            case Relation.Split _ -> {
                int base = id;
                while (st.relationProducing(base).orElse(null) instanceof Relation.Split s) {
                    base = s.parent();
                }
                String name = st.iter(id).name();
                String baseName = st.iter(base).name();
                boolean fusedBase = st.relationProducing(base).orElse(null) instanceof Relation.Fuse;
                yield fusedBase && name.startsWith(baseName)
                        ? display(st, base) + name.substring(baseName.length()) : name;
            }
        };
    }

    private static void fuseParts(Stage st, int id, List<String> out) {
        if (id >= st.numRoots() && st.relationProducing(id).orElse(null) instanceof Relation.Fuse f) {
            fuseParts(st, f.outer(), out);
            fuseParts(st, f.inner(), out);
        } else {
            out.add(display(st, id));
        }
    }

    /** {@code @T = space // reduce [pragmas]}: each root axis, with the loops its splits made when it was split. */
    private static String statement(Stage st) {
        int numSpace = st.compute().axes().size();
        List<String> space = new ArrayList<>();
        List<String> reduce = new ArrayList<>();
        for (int r = 0; r < st.numRoots(); r++) {
            (r < numSpace ? space : reduce).add(axis(st, r));
        }
        StringBuilder sb = new StringBuilder("@").append(st.name()).append(" = ");
        sb.append(space.isEmpty() ? "()" : String.join(", ", space));
        if (!reduce.isEmpty()) {
            sb.append(" // ").append(String.join(", ", reduce));
        }
        List<String> pragmas = new ArrayList<>();
        if (st.autoUnrollMaxStep() > 0) {
            pragmas.add("auto_unroll_max_step=" + st.autoUnrollMaxStep());
        }
        if (st.unrollExplicit()) {
            pragmas.add("unroll_explicit");
        }
        for (Stage.StorageAlign a : st.storageAligns()) {
            pragmas.add("storage_align(" + a.axis() + ", " + a.factor() + ", " + a.offset() + ")");
        }
        if (!pragmas.isEmpty()) {
            sb.append(" [").append(String.join(", ", pragmas)).append(']');
        }
        return sb.toString();
    }

    private static String axis(Stage st, int root) {
        List<Integer> pieces = new ArrayList<>();
        splitPieces(st, root, pieces);
        String name = st.iter(root).name();
        if (pieces.size() == 1) {
            return name;
        }
        List<String> shown = new ArrayList<>();
        for (int p : pieces) {
            shown.add(display(st, p));
        }
        return "{" + String.join(", ", shown) + "}/" + name;
    }

    /** The iterators a split tree divides {@code id} into, outer to inner (those not split further). */
    private static void splitPieces(Stage st, int id, List<Integer> out) {
        for (Relation rel : st.relations()) {
            if (rel instanceof Relation.Split s && s.parent() == id) {
                splitPieces(st, s.outer(), out);
                splitPieces(st, s.inner(), out);
                return;
            }
        }
        out.add(id);
    }
}
