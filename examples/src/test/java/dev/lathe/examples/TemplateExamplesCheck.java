package dev.lathe.examples;

import dev.lathe.measure.SearchTask;
import dev.lathe.schedule.State;
import dev.lathe.template.Config;
import dev.lathe.template.ConfigSpace;
import dev.lathe.template.Template;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fallback config and random configs of a template compile and match the reference evaluator. */
final class TemplateExamplesCheck {
    private TemplateExamplesCheck() {
    }

    static void fallbackAndRandomMatch(SearchTask task, Template template, int randomConfigs, long seed) {
        ConfigSpace space = template.space(task.dag());
        ScheduleCheck.matchesReference(template.instantiate(task.dag(), space.fallback()), task.taskInputs());
        Random rng = new Random(seed);
        int valid = 0;
        StringBuilder rejected = new StringBuilder();
        for (int i = 0; i < randomConfigs; i++) {
            Config c = space.random(rng);
            State s;
            try {
                s = template.instantiate(task.dag(), c);
                dev.lathe.build.Build.lower(s, "check");
            } catch (IllegalArgumentException e) {
                // An invalid config is rejected with a clear message: a tuner records INVALID_SCHEDULE.
                rejected.append(c.toJson()).append(": ").append(e.getMessage()).append('\n');
                continue;
            }
            ScheduleCheck.matchesReference(s, task.taskInputs());
            valid++;
        }
        assertTrue(valid >= randomConfigs / 2, valid + " of " + randomConfigs + " random configs valid; rejected:\n" + rejected);
    }

    static SearchTask task(dev.lathe.te.ComputeDag dag) {
        return new SearchTask(dag, dev.lathe.measure.Target.host(), 1, Map.of());
    }
}
