package dev.lathe.template;

import dev.lathe.measure.SearchTask;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppliedConfigTest {
    private static final SearchTask TASK = TinyTemplates.matmulTask(32, 32, 16);

    @Test
    void aConfigFromJsonGivesItsScheduleCodeAndTiming() {
        String json = "{\"knobs\": {\"tile_i\": [4, 8], \"tile_j\": [2, 16], \"tile_k\": [4, 4],"
                + " \"inner\": [\"k.1\", \"i.1\"], \"unroll\": 1}}";
        AppliedConfig a = AppliedConfig.of(TASK, TinyTemplates.SMALL, json);
        assertEquals(TinyTemplates.SMALL.space(TASK.dag()).parse(json), a.config());
        assertTrue(a.loopNest().contains("i.1:unroll"), a.loopNest());
        assertTrue(a.cSource().contains("#include"), "full C source");
        assertTrue(a.cKernel().contains("for ("), a.cKernel());
        assertTrue(!a.cKernel().contains("#include"), "kernel only");
        List<Double> t = a.time(2, 3);
        assertEquals(3, t.size());
        assertTrue(t.stream().allMatch(x -> x > 0), t.toString());
    }

    @Test
    void theFallbackApplies() {
        AppliedConfig a = AppliedConfig.fallback(TASK, TinyTemplates.SMALL);
        assertEquals("[4,8]", a.config().value("tile_i").toString());
        a.build();
    }

    @Test
    void aBadConfigIsAClearError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppliedConfig.of(TASK, TinyTemplates.SMALL, "{\"knobs\": {\"tile_i\": [5, 7]}}"));
        assertTrue(e.getMessage().contains("tile_i"), e.getMessage());
    }
}
