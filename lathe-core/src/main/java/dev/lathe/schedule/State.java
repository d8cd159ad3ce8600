package dev.lathe.schedule;

import dev.lathe.te.ComputeDag;
import dev.lathe.te.Operation;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A schedule of a ComputeDag: one stage per operation (in topological order) and the steps that
 * made it. States are immutable: every primitive returns a new state with the step recorded.
 */
public final class State {
    private final ComputeDag original;
    private final List<Stage> stages;
    private final List<Tensor> outputs;
    private final List<Step> steps;

    State(ComputeDag original, List<Stage> stages, List<Tensor> outputs, List<Step> steps) {
        this.original = original;
        this.stages = List.copyOf(stages);
        this.outputs = List.copyOf(outputs);
        this.steps = List.copyOf(steps);
    }

    /** The default schedule: every operation at root, loops in declaration order. */
    public static State initial(ComputeDag dag) {
        List<Stage> stages = new ArrayList<>();
        for (Operation op : dag.ops()) {
            stages.add(Stage.initial(op));
        }
        return new State(dag, stages, dag.outputs(), List.of());
    }

    /** Replays recorded steps onto the default schedule of {@code dag}. */
    public static State replay(ComputeDag dag, List<Step> steps) {
        State s = initial(dag);
        for (Step step : steps) {
            s = s.apply(step);
        }
        return s;
    }

    /** The DAG the schedule was made for. */
    public ComputeDag original() {
        return original;
    }

    /** The DAG as the schedule computes it (with cache and rfactor stages). */
    public ComputeDag dag() {
        return ComputeDag.of(outputs);
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(int index) {
        if (index < 0 || index >= stages.size()) {
            throw new ScheduleException("no stage " + index + "; the schedule has " + stages.size() + " stages");
        }
        return stages.get(index);
    }

    public List<Tensor> outputs() {
        return outputs;
    }

    public List<Step> steps() {
        return steps;
    }

    /** The index of the stage computing the operation named {@code name}. */
    public int stageIndex(String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new ScheduleException("no stage named '" + name + "'; stages are "
                + stages.stream().map(Stage::name).toList());
    }

    /** True if some output of stage {@code index} is an output of the DAG. */
    public boolean isOutput(int index) {
        Operation op = stages.get(index).op();
        return outputs.stream().anyMatch(t -> t.op() == op);
    }

    /** The loop nest in the notation of {@link LoopNestPrinter}. */
    @Override
    public String toString() {
        return LoopNestPrinter.print(this);
    }

    /** Applies a recorded step, validating it. */
    public State apply(Step step) {
        return Primitives.apply(this, step);
    }

    State with(List<Stage> newStages, List<Tensor> newOutputs, Step step) {
        List<Step> s = new ArrayList<>(steps);
        s.add(step);
        return new State(original, newStages, newOutputs, s);
    }

    // ---- primitives by name, for schedules written by hand

    public State split(String stage, String iter, long... factors) {
        int s = stageIndex(stage);
        List<Long> f = new ArrayList<>();
        for (long x : factors) {
            f.add(x);
        }
        return apply(new Step.Split(s, stages.get(s).leaf(iter).id(), f));
    }

    public State splitParts(String stage, String iter, long parts) {
        int s = stageIndex(stage);
        return apply(new Step.SplitParts(s, stages.get(s).leaf(iter).id(), parts));
    }

    /** Splits two iterators and puts the outer loops outside: {@code x.0, y.0, x.1, y.1}. */
    public State tile(String stage, String x, String y, long fx, long fy) {
        State st = split(stage, x, fx).split(stage, y, fy);
        Stage s = st.stages.get(st.stageIndex(stage));
        List<String> order = new ArrayList<>();
        for (Iter it : s.leafIters()) {
            order.add(it.name());
        }
        int ix = order.indexOf(x + ".0");
        order.remove(y + ".0");
        order.add(ix + 1, y + ".0");
        return st.reorder(stage, order.toArray(String[]::new));
    }

    public State fuse(String stage, String... iters) {
        int s = stageIndex(stage);
        List<Integer> ids = new ArrayList<>();
        for (String it : iters) {
            ids.add(stages.get(s).leaf(it).id());
        }
        return apply(new Step.Fuse(s, ids));
    }

    public State reorder(String stage, String... order) {
        int s = stageIndex(stage);
        List<Integer> ids = new ArrayList<>();
        for (String it : order) {
            ids.add(stages.get(s).leaf(it).id());
        }
        return apply(new Step.Reorder(s, ids));
    }

    public State parallel(String stage, String iter) {
        return annotate(stage, iter, IterAnnotation.PARALLEL);
    }

    public State vectorize(String stage, String iter) {
        return annotate(stage, iter, IterAnnotation.VECTORIZE);
    }

    public State unroll(String stage, String iter) {
        return annotate(stage, iter, IterAnnotation.UNROLL);
    }

    public State annotate(String stage, String iter, IterAnnotation a) {
        int s = stageIndex(stage);
        return apply(new Step.Annotate(s, stages.get(s).leaf(iter).id(), a));
    }

    public State computeAt(String stage, String target, String targetIter) {
        int t = stageIndex(target);
        return apply(new Step.ComputeAt(stageIndex(stage), t, stages.get(t).leaf(targetIter).id()));
    }

    public State computeInline(String stage) {
        return apply(new Step.ComputeInline(stageIndex(stage)));
    }

    public State computeRoot(String stage) {
        return apply(new Step.ComputeRoot(stageIndex(stage)));
    }

    public State pragma(String stage, String key, int value) {
        return apply(new Step.Pragma(stageIndex(stage), key, value));
    }

    public State storageAlign(String stage, int axis, int factor, int offset) {
        return apply(new Step.StorageAlign(stageIndex(stage), axis, factor, offset));
    }

    public State cacheRead(String stage, String scope, String... readers) {
        List<Integer> r = new ArrayList<>();
        for (String name : readers) {
            r.add(stageIndex(name));
        }
        return apply(new Step.CacheRead(stageIndex(stage), scope, r));
    }

    public State cacheWrite(String stage, String scope) {
        return apply(new Step.CacheWrite(stageIndex(stage), scope));
    }

    public State rfactor(String stage, String iter, int factorAxis) {
        int s = stageIndex(stage);
        return apply(new Step.Rfactor(s, stages.get(s).leaf(iter).id(), factorAxis));
    }
}
