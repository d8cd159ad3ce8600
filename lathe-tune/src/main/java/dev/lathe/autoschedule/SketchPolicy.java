package dev.lathe.autoschedule;

import dev.lathe.autoschedule.SketchRule.Condition;
import dev.lathe.autoschedule.SketchRule.Result;
import dev.lathe.measure.SearchTask;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the sketches of a DAG by rules (user rules first, then {@link SketchRules#DEFAULTS})
 * and samples complete programs from them by {@link RandomAnnotation}.
 */
public final class SketchPolicy {
    private final ComputeDag dag;
    private final DagAnalysis analysis;
    private final List<SketchRule> rules;
    private List<Sketch> sketches;

    public SketchPolicy(ComputeDag dag, List<SketchRule> customRules) {
        this.dag = dag;
        this.analysis = DagAnalysis.of(dag);
        List<SketchRule> all = new ArrayList<>(customRules);
        all.addAll(SketchRules.DEFAULTS);
        this.rules = List.copyOf(all);
    }

    public SketchPolicy(ComputeDag dag) {
        this(dag, List.of());
    }

    public SketchPolicy(SearchTask task, List<SketchRule> customRules) {
        this(task.dag(), customRules);
    }

    public SketchPolicy(SearchTask task) {
        this(task.dag(), List.of());
    }

    public DagAnalysis analysis() {
        return analysis;
    }

    /** The sketches, generated once: every stage visited from the last, each rule in order. */
    public List<Sketch> sketches() {
        if (sketches == null) {
            sketches = List.copyOf(generate());
        }
        return sketches;
    }

    private List<Sketch> generate() {
        List<Result> work = new ArrayList<>();
        work.add(new Result(new Sketch(State.initial(dag), List.of(), List.of(), List.of()), dag.ops().size() - 1));
        List<Sketch> done = new ArrayList<>();
        while (!work.isEmpty()) {
            Result r = work.removeLast();
            if (r.nextStage() < 0) {
                done.add(r.sketch());
                continue;
            }
            List<Result> next = new ArrayList<>();
            if (r.sketch().state().stage(r.nextStage()).isPlaceholder()) {
                work.add(new Result(r.sketch(), r.nextStage() - 1));
                continue;
            }
            for (SketchRule rule : rules) {
                Condition c = rule.condition(r.sketch(), r.nextStage(), analysis);
                if (c == Condition.SKIP) {
                    continue;
                }
                next.addAll(rule.apply(r.sketch(), r.nextStage(), analysis));
                if (c == Condition.APPLY_AND_SKIP_REST) {
                    break;
                }
            }
            work.addAll(next.reversed());
        }
        return done;
    }

    /** {@code n} complete programs, each a random annotation of a random sketch. */
    public List<State> sampleInitPopulation(int n, Random rng) {
        List<Sketch> all = sketches();
        List<State> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(RandomAnnotation.annotate(all.get(rng.nextInt(all.size())), rng));
        }
        return out;
    }
}
