package dev.lathe.examples;

import dev.lathe.measure.ErrorKind;
import dev.lathe.template.AppliedConfig;
import dev.lathe.template.ConfigSpace;
import dev.lathe.template.ModelTuner;
import dev.lathe.template.Trial;
import dev.lathe.template.TuneOptions;
import dev.lathe.template.TuneResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatmulTemplateTest {
    @Test
    void fallbackAndRandomConfigsMatchTheReference() {
        TemplateExamplesCheck.fallbackAndRandomMatch(TemplateExamplesCheck.task(MatmulTemplate.declare(48, 64, 32)),
                MatmulTemplate.TEMPLATE, 6, 1);
    }

    @Test
    void tuningWithRealMeasurementsFindsAValidConfigAndReplaysIt() {
        var task = TemplateExamplesCheck.task(MatmulTemplate.declare(32, 32, 16));
        try (InProcessMeasurer m = new InProcessMeasurer(1, 2)) {
            TuneResult r = new ModelTuner().tune(task, MatmulTemplate.TEMPLATE, m, new TuneOptions(8, 4, 0, 3));
            assertEquals(8, r.trials().size());
            Trial best = r.best().orElseThrow();
            assertTrue(r.trials().stream().allMatch(t -> t.result().ok()
                    || t.result().error() == ErrorKind.INVALID_SCHEDULE), r.trials().toString());
            AppliedConfig a = AppliedConfig.of(task, MatmulTemplate.TEMPLATE, best.config());
            ScheduleCheck.matchesReference(a.state(), java.util.Map.of());
        }
    }

    @Test
    void mm1SpaceSize() {
        ConfigSpace s = MatmulTemplate.TEMPLATE.space(MatmulTemplate.declare(1024, 1024, 1024));
        assertEquals(66L * 66 * 11 * 2 * 5 * 2 * 3 * 2 * 2 * 2, s.size());
    }
}
