package dev.lathe.autoschedule;

import dev.lathe.build.Build;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;

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
        return new Custom(name, when, (b, i) -> b.then(s -> apply.apply(s, i)));
    }

    /** A user rule given as the steps to add; a step a primitive rejects is reported by the rule's name. */
    static SketchRule ofSteps(String name, BiPredicate<State, Integer> when, BiFunction<State, Integer, List<Step>> steps) {
        return new Custom(name, when, (b, i) -> b.steps(steps.apply(b.state(), i)));
    }

    /**
     * A user rule whose splits the search may tune: {@code build} extends the sketch through a
     * {@link SketchBuilder}, with fixed steps ({@code then}, {@code steps}) and tunable tiles
     * ({@code tile}, {@code splitBy}). Validity is checked as for {@link #of}.
     */
    static SketchRule tiled(String name, BiPredicate<State, Integer> when,
                            BiFunction<SketchBuilder, Integer, SketchBuilder> build) {
        return new Custom(name, when, build);
    }

    /** A user rule; see {@link #of} and {@link #tiled}. */
    record Custom(String name, BiPredicate<State, Integer> when, BiFunction<SketchBuilder, Integer, SketchBuilder> build)
            implements SketchRule {
        @Override
        public Condition condition(Sketch sketch, int stage, DagAnalysis analysis) {
            return when.test(sketch.state(), stage) ? Condition.APPLY_AND_SKIP_REST : Condition.SKIP;
        }

        @Override
        public List<Result> apply(Sketch sketch, int stage, DagAnalysis analysis) {
            String stageName = sketch.state().stage(stage).name();
            SketchBuilder built;
            try {
                built = build.apply(SketchBuilder.of(sketch), stage);
            } catch (SketchBuilder.StepRejected e) {
                throw new SketchRuleException(name, stageName, e.step(), e.getMessage());
            } catch (ScheduleException e) {
                throw new SketchRuleException(name, stageName, null, e.getMessage());
            }
            if (built == null || !built.extendsSketch(sketch)) {
                throw new SketchRuleException(name, stageName, null,
                        "it must return the builder it was given, extended (not a new one, not null)");
            }
            State s = built.state();
            checkLowers(s, sketch.state().steps().size(), stageName);
            int before = sketch.state().stages().size();
            return List.of(new Result(built.toSketch(name), stage - 1 + (s.stages().size() - before)));
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
