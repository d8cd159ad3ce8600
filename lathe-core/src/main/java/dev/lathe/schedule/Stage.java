package dev.lathe.schedule;

import dev.lathe.ir.IterKind;
import dev.lathe.ir.IterVar;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schedule of one operation: its iterators (roots are the operation's axes, space then
 * reduce, with ids {@code 0..n-1}), the relations that made the others, the current loop order
 * ({@code leaves}, outermost first), where it is computed, and its pragmas.
 */
public record Stage(Operation op, List<Iter> iters, List<Relation> relations, List<Integer> leaves,
                    ComputeLocation location, int autoUnrollMaxStep, boolean unrollExplicit,
                    List<StorageAlign> storageAligns) {

    /** Pads the row stride of dimension {@code axis} of the stage's storage to {@code factor * k + offset} elements. */
    public record StorageAlign(int axis, int factor, int offset) {
    }

    public Stage {
        iters = List.copyOf(iters);
        relations = List.copyOf(relations);
        leaves = List.copyOf(leaves);
        storageAligns = List.copyOf(storageAligns);
    }

    /** The initial stage of an operation: its axes as loops in declaration order, computed at root. */
    public static Stage initial(Operation op) {
        List<Iter> iters = new ArrayList<>();
        if (op instanceof ComputeOp c) {
            for (IterVar v : ComputeDag.iterators(c)) {
                iters.add(new Iter(iters.size(), v.name(), v.kind(), IterAnnotation.NONE));
            }
        }
        List<Integer> leaves = iters.stream().map(Iter::id).toList();
        return new Stage(op, iters, List.of(), leaves, ComputeLocation.ROOT, 0, false, List.of());
    }

    public String name() {
        return op.name();
    }

    public boolean isPlaceholder() {
        return !(op instanceof ComputeOp);
    }

    public ComputeOp compute() {
        if (op instanceof ComputeOp c) {
            return c;
        }
        throw new ScheduleException("stage " + op.name() + " is a placeholder: it has no loops to schedule");
    }

    /** Number of root iterators (the operation's axes). */
    public int numRoots() {
        return op instanceof ComputeOp c ? c.axes().size() + c.reduceAxes().size() : 0;
    }

    /** The operation's axis behind root iterator {@code id}. */
    public IterVar rootAxis(int id) {
        return ComputeDag.iterators(compute()).get(id);
    }

    public Iter iter(int id) {
        return iters.get(id);
    }

    /** The leaf iterators in loop order, outermost first. */
    public List<Iter> leafIters() {
        return leaves.stream().map(iters::get).toList();
    }

    /** The leaf iterator named {@code name}. */
    public Iter leaf(String name) {
        for (int id : leaves) {
            if (iters.get(id).name().equals(name)) {
                return iters.get(id);
            }
        }
        throw new ScheduleException("stage " + name() + " has no loop '" + name + "'; its loops are "
                + leafIters().stream().map(Iter::name).toList());
    }

    public Optional<Relation> relationProducing(int iterId) {
        for (Relation r : relations) {
            switch (r) {
                case Relation.Split s when s.outer() == iterId || s.inner() == iterId -> {
                    return Optional.of(r);
                }
                case Relation.Fuse f when f.fused() == iterId -> {
                    return Optional.of(r);
                }
                default -> { }
            }
        }
        return Optional.empty();
    }

    /** True if any root axis behind iterator {@code id} is a reduce axis. */
    public boolean touchesReduce(int id) {
        return iters.get(id).kind() == IterKind.REDUCE;
    }

    Stage with(List<Iter> iters, List<Relation> relations, List<Integer> leaves) {
        return new Stage(op, iters, relations, leaves, location, autoUnrollMaxStep, unrollExplicit, storageAligns);
    }

    Stage withLocation(ComputeLocation loc) {
        return new Stage(op, iters, relations, leaves, loc, autoUnrollMaxStep, unrollExplicit, storageAligns);
    }

    Stage withLeaves(List<Integer> newLeaves) {
        return new Stage(op, iters, relations, newLeaves, location, autoUnrollMaxStep, unrollExplicit, storageAligns);
    }

    Stage withIter(Iter it) {
        List<Iter> copy = new ArrayList<>(iters);
        copy.set(it.id(), it);
        return new Stage(op, copy, relations, leaves, location, autoUnrollMaxStep, unrollExplicit, storageAligns);
    }

    Stage withPragmas(int maxStep, boolean explicit) {
        return new Stage(op, iters, relations, leaves, location, maxStep, explicit, storageAligns);
    }

    Stage withStorageAlign(StorageAlign a) {
        List<StorageAlign> copy = new ArrayList<>(storageAligns);
        copy.add(a);
        return new Stage(op, iters, relations, leaves, location, autoUnrollMaxStep, unrollExplicit, copy);
    }

    Stage withOp(Operation newOp) {
        return new Stage(newOp, iters, relations, leaves, location, autoUnrollMaxStep, unrollExplicit, storageAligns);
    }

    /** Whether this stage's operation reads {@code producer}'s output directly. */
    public boolean reads(Stage producer) {
        if (isPlaceholder()) {
            return false;
        }
        for (dev.lathe.te.Tensor t : op().inputs()) {
            if (t.op() == producer.op()) {
                return true;
            }
        }
        return false;
    }
}
