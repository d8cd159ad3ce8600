package dev.lathe.autoschedule;

import dev.lathe.ir.IntImm;
import dev.lathe.schedule.Extents;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A sketch being extended by a custom rule ({@link SketchRule#tiled}): fixed steps, and splits
 * whose factors the search tunes. A tunable split is declared as a named tile of an axis of static
 * extent, cut into some number of levels; other splits may take their factor from one level of a
 * tile, so that two stages stay in step (an accumulator computed at an output tile, split by the
 * tile's innermost length). While the rule runs, tunable factors are placeholders of 1: the
 * structure must be valid with them, and the search drops the tile lengths with which a later
 * step no longer applies.
 */
public final class SketchBuilder {
    private final Sketch base;
    private final State state;
    private final List<Sketch.Tile> tiles;
    private final List<Sketch.Slot> slots;
    private final Map<String, Integer> named;

    private SketchBuilder(Sketch base, State state, List<Sketch.Tile> tiles, List<Sketch.Slot> slots,
                          Map<String, Integer> named) {
        this.base = base;
        this.state = state;
        this.tiles = List.copyOf(tiles);
        this.slots = List.copyOf(slots);
        this.named = Map.copyOf(named);
    }

    static SketchBuilder of(Sketch base) {
        return new SketchBuilder(base, base.state(), base.tiles(), base.slots(), Map.of());
    }

    /** The state so far; its tunable splits have factors of 1. */
    public State state() {
        return state;
    }

    /**
     * Adds fixed steps: {@code steps} must return a state that extends this one (same DAG, this
     * state's steps first), e.g. {@code b.then(s -> s.reorder("C", "i.0", "j.0", "i.1"))}.
     */
    public SketchBuilder then(UnaryOperator<State> steps) {
        State out = steps.apply(state);
        if (out.original() != state.original() || out.steps().size() < state.steps().size()
                || !out.steps().subList(0, state.steps().size()).equals(state.steps())) {
            throw new ScheduleException("it must extend the state it was given (same DAG, same steps first)");
        }
        return new SketchBuilder(base, out, tiles, slots, named);
    }

    /** Adds fixed steps, each validated by its primitive; a rejected step is reported as {@link StepRejected}. */
    public SketchBuilder steps(List<Step> steps) {
        State s = state;
        for (Step step : steps) {
            try {
                s = s.apply(step);
            } catch (ScheduleException e) {
                throw new StepRejected(step, e.getMessage());
            }
        }
        return new SketchBuilder(base, s, tiles, slots, named);
    }

    /**
     * Declares tile {@code name}: loop {@code iter} of {@code stage} (of static extent) split into
     * {@code levels} loops {@code iter.0 ... iter.<levels-1>}, outermost first, whose lengths the
     * search chooses (their product is the extent).
     */
    public SketchBuilder tile(String name, String stage, String iter, int levels) {
        if (named.containsKey(name)) {
            throw new ScheduleException("tile '" + name + "' is declared twice; give each tile its own name");
        }
        if (levels < 2) {
            throw new ScheduleException("tile '" + name + "' needs at least 2 levels, got " + levels);
        }
        int s = state.stageIndex(stage);
        Stage st = state.stage(s);
        int id = st.leaf(iter).id();
        if (!(Extents.of(st, id) instanceof IntImm extent)) {
            throw new ScheduleException("tile '" + name + "' of " + stage + "." + iter
                    + ": the loop's extent is not static (a data-dependent or symbolic loop cannot be tiled)");
        }
        List<Sketch.Tile> ts = new ArrayList<>(tiles);
        ts.add(new Sketch.Tile(extent.value(), levels));
        List<List<Integer>> factorLevels = new ArrayList<>();
        for (int l = 1; l < levels; l++) {
            factorLevels.add(List.of(l));
        }
        Map<String, Integer> names = new HashMap<>(named);
        names.put(name, ts.size() - 1);
        return split(s, id, ts.size() - 1, factorLevels, ts, names);
    }

    /**
     * Splits loop {@code iter} of {@code stage} in two, the inner loop as long as level
     * {@code level} of tile {@code tile} (declared before by this rule).
     */
    public SketchBuilder splitBy(String stage, String iter, String tile, int level) {
        Integer t = named.get(tile);
        if (t == null) {
            throw new ScheduleException("no tile named '" + tile + "' declared by this rule (declared: " + named.keySet() + ")");
        }
        if (level < 0 || level >= tiles.get(t).levels()) {
            throw new ScheduleException("tile '" + tile + "' has levels 0.." + (tiles.get(t).levels() - 1) + ", got " + level);
        }
        int s = state.stageIndex(stage);
        return split(s, state.stage(s).leaf(iter).id(), t, List.of(List.of(level)), tiles, named);
    }

    private SketchBuilder split(int stage, int iter, int tile, List<List<Integer>> factorLevels,
                                List<Sketch.Tile> ts, Map<String, Integer> names) {
        List<Sketch.Slot> ss = new ArrayList<>(slots);
        ss.add(new Sketch.Slot(state.steps().size(), tile, factorLevels));
        Step step = new Step.Split(stage, iter, factorLevels.stream().map(l -> 1L).toList());
        try {
            return new SketchBuilder(base, state.apply(step), ts, ss, names);
        } catch (ScheduleException e) {
            throw new StepRejected(step, e.getMessage());
        }
    }

    /** Whether this extends {@code sketch}: the rule kept its state's steps and tiles first. */
    boolean extendsSketch(Sketch sketch) {
        return base == sketch;
    }

    /** The sketch built, with {@code rule} appended to the rules that made it. */
    Sketch toSketch(String rule) {
        List<String> rules = new ArrayList<>(base.rules());
        rules.add(rule);
        return new Sketch(state, tiles, slots, rules);
    }

    /** A step that its primitive rejected while a rule built a sketch. */
    static final class StepRejected extends ScheduleException {
        private final Step step;

        StepRejected(Step step, String message) {
            super(message);
            this.step = step;
        }

        Step step() {
            return step;
        }
    }
}
