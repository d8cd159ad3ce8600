package dev.lathe.autoschedule;

import dev.lathe.schedule.Step;

import java.util.Optional;

/** A sketch rule produced an invalid state: names the rule, the stage, and the step that broke it when known. */
public final class SketchRuleException extends RuntimeException {
    private final String rule;
    private final transient Step step;

    public SketchRuleException(String rule, String stage, Step step, String reason) {
        super("sketch rule '" + rule + "' at stage " + stage + (step == null ? "" : ", step " + step) + ": " + reason);
        this.rule = rule;
        this.step = step;
    }

    public String rule() {
        return rule;
    }

    /** The step a primitive rejected, or after which the state stopped lowering. */
    public Optional<Step> step() {
        return Optional.ofNullable(step);
    }
}
