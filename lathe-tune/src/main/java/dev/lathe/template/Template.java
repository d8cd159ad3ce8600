package dev.lathe.template;

import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;

/**
 * A parametrized schedule: declares its knobs on {@code cfg} and builds a schedule of {@code dag}
 * from their values. The same code defines the space ({@link #space}) and applies a config
 * ({@link #instantiate}); so knobs must be defined unconditionally, in the same order, whatever
 * the values of earlier knobs.
 */
@FunctionalInterface
public interface Template {
    State schedule(Knobs cfg, ComputeDag dag);

    /** Runs the template in define mode: its knobs, in declaration order. */
    default ConfigSpace space(ComputeDag dag) {
        Knobs k = Knobs.define();
        try {
            schedule(k, dag);
        } catch (dev.lathe.schedule.ScheduleException e) {
            throw new IllegalStateException("the template's schedule is invalid under its fallback config: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("the template failed in define mode (fallback config): " + e.getMessage(), e);
        }
        return new ConfigSpace(k.defined());
    }

    /**
     * The schedule of {@code config}. Throws {@link dev.lathe.schedule.ScheduleException} when the
     * config makes an invalid schedule, {@link ConfigException} when it is not of this template's space.
     */
    default State instantiate(ComputeDag dag, Config config) {
        Knobs k = Knobs.apply(config);
        State s = schedule(k, dag);
        if (k.defined().size() != config.space().knobs().size()) {
            throw new ConfigException("the template defined " + k.defined().size() + " knobs but the config's space has "
                    + config.space().knobs().size());
        }
        return s;
    }
}
