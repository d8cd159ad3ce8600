package dev.lathe.template;

import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateKnobsTest {
    private static ConfigSpace spaceOf(Template t) {
        return t.space(TinyTemplates.matmulTask(64, 64, 16).dag());
    }

    private static ConfigSpace knobsOnly(java.util.function.Consumer<Knobs> define) {
        Template t = (cfg, dag) -> {
            define.accept(cfg);
            return State.initial(dag);
        };
        return spaceOf(t);
    }

    @Test
    void splitOf64IntoTwoHasSevenOptions() {
        ConfigSpace s = knobsOnly(k -> k.defineSplit("x", 64, 2));
        assertEquals(7, s.size());
        Knob.Split x = (Knob.Split) s.knob("x");
        for (List<Long> o : x.options()) {
            assertEquals(64, o.get(0) * o.get(1));
        }
    }

    @Test
    void knobSizes() {
        assertEquals(66, knobsOnly(k -> k.defineSplit("x", 1024, 3)).size());       // C(12, 2)
        assertEquals(1, knobsOnly(k -> k.defineSplit("x", 1024, 1)).size());
        assertEquals(6 * 6, knobsOnly(k -> k.defineSplit("x", 12, 2)).size() * 6); // divisors of 12
        assertEquals(7, knobsOnly(k -> k.defineSplit("x", 100, 2, SplitPolicy.POWER2)).size());
        assertEquals(6, knobsOnly(k -> k.defineReorder("r", List.of("a", "b", "c"))).size());
        assertEquals(9, knobsOnly(k -> k.defineAnnotate("a", List.of("x", "y"), AnnotationKind.NONE,
                AnnotationKind.UNROLL, AnnotationKind.VECTORIZE)).size());
        assertEquals(3, knobsOnly(k -> k.defineKnob("c", List.of(1, 2, 4))).size());
        ConfigSpace small = spaceOf(TinyTemplates.SMALL);
        assertEquals(7L * 7 * 5 * 2 * 2, small.size());
        assertEquals(List.of("tile_i", "tile_j", "tile_k", "inner", "unroll"),
                small.knobs().stream().map(Knob::name).toList());
    }

    @Test
    void power2SplitsRoundTheOuterLoopUp() {
        Knob.Split x = (Knob.Split) knobsOnly(k -> k.defineSplit("x", 100, 2, SplitPolicy.POWER2)).knob("x");
        assertTrue(x.options().contains(List.of(13L, 8L)));
    }

    @Test
    void hugeSpacesHaveALongSize() {
        ConfigSpace s = knobsOnly(k -> {
            for (int i = 0; i < 4; i++) {
                k.defineSplit("s" + i, 1 << 20, 4);
            }
        });
        assertEquals(1771L * 1771 * 1771 * 1771, s.size()); // C(23, 3) ways each
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> knobsOnly(k -> {
            for (int i = 0; i < 6; i++) {
                k.defineSplit("s" + i, 1 << 20, 4);
            }
        }));
        assertTrue(e.getMessage().contains("more than 2^63"), e.getMessage());
        Config c = s.get(s.size() - 1);
        assertEquals(s.size() - 1, c.index());
        assertEquals(c, s.parse(c.toJson()));
    }

    @Test
    void fallbackSplitIsBalanced() {
        ConfigSpace s = knobsOnly(k -> k.defineSplit("x", 64, 2));
        assertEquals("[8,8]", s.fallback().value("x").toString());
        ConfigSpace s3 = knobsOnly(k -> k.defineSplit("x", 64, 3));
        assertEquals("[4,4,4]", s3.fallback().value("x").toString());
    }

    @Test
    void indexAndJsonRoundTripForEveryConfig() {
        ConfigSpace s = spaceOf(TinyTemplates.SMALL);
        Set<String> jsons = new HashSet<>();
        for (long i = 0; i < s.size(); i++) {
            Config c = s.get(i);
            assertEquals(i, c.index());
            String json = c.toJson();
            assertTrue(jsons.add(json));
            assertEquals(c, s.parse(json));
        }
    }

    @Test
    void strictParsingNamesTheProblem() {
        ConfigSpace s = spaceOf(TinyTemplates.SMALL);
        String good = s.get(17).toJson();
        ConfigException e = assertThrows(ConfigException.class,
                () -> s.parse(good.replace("\"unroll\"", "\"unrol\"")));
        assertTrue(e.getMessage().contains("unknown knob 'unrol'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> s.parse(good.replace("\"tile_k\":[16,1]", "\"tile_k\":[3,5]")
                .replace("\"tile_k\":[8,2]", "\"tile_k\":[3,5]").replace("\"tile_k\":[4,4]", "\"tile_k\":[3,5]")
                .replace("\"tile_k\":[2,8]", "\"tile_k\":[3,5]").replace("\"tile_k\":[1,16]", "\"tile_k\":[3,5]")));
        assertTrue(e.getMessage().contains("knob 'tile_k' has no option [3,5]"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> s.parse("{\"knobs\": {\"tile_i\": [8, 8]}}"));
        assertTrue(e.getMessage().contains("lacks knob"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> s.parse(good.replace("\"index\":17", "\"index\":18")));
        assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> s.parse("{\"knobs\": {}, \"extra\": 1}"));
        assertTrue(e.getMessage().contains("unknown field 'extra'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> s.parse("{not json"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> s.get(s.size()));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertThrows(ConfigException.class, () -> s.of(0, 0, 0, 0, 9));
    }

    @Test
    void applyModeReturnsTheConfigsValues() {
        ComputeDag dag = TinyTemplates.matmulTask(64, 64, 16).dag();
        ConfigSpace s = TinyTemplates.SMALL.space(dag);
        Config c = s.parse("{\"knobs\": {\"tile_i\": [8, 8], \"tile_j\": [4, 16], \"tile_k\": [4, 4],"
                + " \"inner\": [\"k.1\", \"i.1\"], \"unroll\": 1}}");
        String nest = TinyTemplates.SMALL.instantiate(dag, c).toString();
        assertTrue(nest.contains("k.1, i.1:unroll, j.1"), nest);
    }

    @Test
    void aTemplateThatChangedIsRejected() {
        ComputeDag dag = TinyTemplates.matmulTask(64, 64, 16).dag();
        ConfigSpace s = TinyTemplates.SMALL.space(dag);
        Template changed = (cfg, d) -> {
            cfg.defineSplit("tile_i", 64, 3);
            return State.initial(d);
        };
        ConfigException e = assertThrows(ConfigException.class, () -> changed.instantiate(dag, s.fallback()));
        assertTrue(e.getMessage().contains("differently"), e.getMessage());
    }

    @Test
    void featuresHaveAFixedLength() {
        ConfigSpace s = spaceOf(TinyTemplates.SMALL);
        Random rng = new Random(1);
        for (int i = 0; i < 20; i++) {
            assertEquals(s.featureLength(), s.random(rng).features().length);
        }
    }

    @Test
    void badKnobDefinitionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> knobsOnly(k -> k.defineSplit("x", 0, 2)));
        assertThrows(IllegalArgumentException.class, () -> knobsOnly(k -> k.defineKnob("x", List.of())));
        assertThrows(IllegalArgumentException.class, () -> knobsOnly(k -> k.defineKnob("x", List.of(1, 1))));
        assertThrows(IllegalArgumentException.class, () -> knobsOnly(k -> {
            k.defineKnob("x", List.of(1));
            k.defineKnob("x", List.of(2));
        }));
        assertThrows(IllegalArgumentException.class, () -> knobsOnly(k -> k.defineReorder("r", List.of("a", "b"),
                List.of(List.of("a", "c")))));
    }
}
