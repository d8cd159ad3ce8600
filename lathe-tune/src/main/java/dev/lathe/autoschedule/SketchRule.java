package dev.lathe.autoschedule;

import dev.lathe.build.Build;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * A rule that turns a partial sketch into zero or more sketches at one stage (Ansor's
 * {@code sketch_policy_rules}). Stages are visited from the last to the first; at each, the
 * rules run in order until one answers {@link Condition#APPLY_AND_SKIP_REST}.
 */
public interface SketchRule {

    /** Whether a rule applies at a stage, and whether the rules after it still run there. */
    enum Condition { SKIP, APPLY, APPLY_AND_SKIP_REST }

    /** A sketch made by a rule, and the stage to visit next (usually the one before). */
    record Result(Sketch sketch, int nextStage) {
    }

    String name();

    Condition condition(Sketch sketch, int stage, DagAnalysis analysis);

    List<Result> apply(Sketch sketch, int stage, DagAnalysis analysis);

    /**
     * A user rule: where {@code when} holds, {@code apply} rewrites the state at that stage with
     * fixed (untuned) steps, and no later rule runs at that stage. The result must build; if a
     * primitive rejects a step, or the state fails to lower, a {@link SketchRuleException} names
     * this rule and the step.
     */
    static SketchRule of(String name, BiPredicate<State, Integer> when, BiFunction<State, Integer, State> apply) {
        return new Custom(name, when, (s, i) -> {
            State out = apply.apply(s, i);
            if (out.original() != s.original() || out.steps().size() < s.steps().size()
                    || !out.steps().subList(0, s.steps().size()).equals(s.steps())) {
                throw new SketchRuleException(name, s.stage(i).name(), null,
                        "it must extend the state it was given (same DAG, same steps first)");
            }
            return out.steps().subList(s.steps().size(), out.steps().size());
        });
    }

    /** A user rule given as the steps to add; a step a primitive rejects is reported by the rule's name. */
    static SketchRule ofSteps(String name, BiPredicate<State, Integer> when, BiFunction<State, Integer, List<Step>> steps) {
        return new Custom(name, when, steps);
    }

    /** A user rule; see {@link #of}. */
    record Custom(String name, BiPredicate<State, Integer> when, BiFunction<State, Integer, List<Step>> steps)
            implements SketchRule {
        @Override
        public Condition condition(Sketch sketch, int stage, DagAnalysis analysis) {
            return when.test(sketch.state(), stage) ? Condition.APPLY_AND_SKIP_REST : Condition.SKIP;
        }

        @Override
        public List<Result> apply(Sketch sketch, int stage, DagAnalysis analysis) {
            State s = sketch.state();
            String stageName = s.stage(stage).name();
            List<Step> added;
            try {
                added = steps.apply(s, stage);
            } catch (ScheduleException e) {
                throw new SketchRuleException(name, stageName, null, e.getMessage());
            }
            int before = s.stages().size();
            for (Step step : added) {
                try {
                    s = s.apply(step);
                } catch (ScheduleException e) {
                    throw new SketchRuleException(name, stageName, step, e.getMessage());
                }
            }
            checkLowers(s, sketch.state().steps().size(), stageName);
            List<String> rules = new ArrayList<>(sketch.rules());
            rules.add(name);
            Sketch out = new Sketch(s, sketch.tiles(), sketch.slots(), rules);
            return List.of(new Result(out, stage - 1 + (s.stages().size() - before)));
        }

        /** Lowers the state; on failure finds the first added step after which lowering fails. */
        private void checkLowers(State s, int firstAdded, String stageName) {
            try {
                Build.lower(s, "sketch_check");
            } catch (RuntimeException e) {
                List<Step> all = s.steps();
                for (int n = firstAdded + 1; n <= all.size(); n++) {
                    try {
                        Build.lower(State.replay(s.original(), all.subList(0, n)), "sketch_check");
                    } catch (RuntimeException first) {
                        throw new SketchRuleException(name, stageName, all.get(n - 1),
                                "the state does not lower: " + first.getMessage());
                    }
                }
                throw new SketchRuleException(name, stageName, null, "the state does not lower: " + e.getMessage());
            }
        }
    }
}
