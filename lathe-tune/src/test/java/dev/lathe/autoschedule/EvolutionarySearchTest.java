package dev.lathe.autoschedule;

import dev.lathe.autoschedule.EvolutionarySearch.Candidate;
import dev.lathe.autoschedule.EvolutionarySearch.Mutation;
import dev.lathe.autoschedule.model.CostModel;
import dev.lathe.build.Build;
import dev.lathe.measure.SearchTask;
import dev.lathe.schedule.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvolutionarySearchTest {

    /** Scores a candidate by the sum of its features' first column (deterministic, untrained). */
    static final class SumModel implements CostModel {
        int predictions;

        @Override
        public void update(List<float[][]> features, double[] throughputs) {
        }

        @Override
        public double[] predict(List<float[][]> features) {
            predictions += features.size();
            double[] out = new double[features.size()];
            for (int i = 0; i < out.length; i++) {
                for (float[] row : features.get(i)) {
                    for (float v : row) {
                        out[i] += v;
                    }
                }
            }
            return out;
        }

        @Override
        public int trainedOn() {
            return 0;
        }
    }

    static EvolutionarySearch search(String kind, Random rng) {
        SearchTask task = SearchTask.of(Dags.caseOf(kind, rng).dag());
        return new EvolutionarySearch(task, new SketchPolicy(task), EvolutionarySearch.Options.defaults()
                .withPopulation(16).withGenerations(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"matmul", "conv2d", "softmax"})
    void mutationsAlwaysGiveLowerableStates(String kind) {
        Random rng = new Random(7 ^ kind.hashCode());
        EvolutionarySearch es = search(kind, rng);
        Candidate c = es.random(rng).orElseThrow();
        Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
        int produced = 0;
        for (int i = 0; i < 200; i++) {
            Mutation m = Mutation.values()[i % Mutation.values().length];
            Optional<Candidate> child = es.mutate(c, m, rng);
            if (child.isPresent()) {
                produced++;
                applied.merge(m, 1, Integer::sum);
                Build.lower(child.get().state(), "mutant");
                // the genotype decodes to the same program
                assertEquals(child.get().key(), es.decode(child.get().genotype()).orElseThrow().key());
                c = child.get();
            }
            if (i % 20 == 19) {
                c = es.random(rng).orElseThrow();
            }
        }
        assertTrue(produced >= 50, kind + ": only " + produced + " mutants");
        assertTrue(applied.getOrDefault(Mutation.TILE_SIZE, 0) > 0 || kind.equals("softmax"), kind + " " + applied);
    }

    @Test
    void aProgramDecodedAgainHasTheSameFeaturesInRowsOfItsOwn() {
        Random rng = new Random(9);
        EvolutionarySearch es = search("conv2d", rng);
        for (int i = 0; i < 10; i++) {
            Candidate c = es.random(rng).orElseThrow();
            Candidate again = es.decode(c.genotype()).orElseThrow();
            float[][] fresh = dev.lathe.autoschedule.feature.FeatureExtractor.extract(c.state()).rows();
            assertTrue(java.util.Arrays.deepEquals(fresh, c.features()));
            assertTrue(java.util.Arrays.deepEquals(fresh, again.features()));
            again.features()[0][0] += 1;
            assertTrue(java.util.Arrays.deepEquals(fresh, es.decode(c.genotype()).orElseThrow().features()));
        }
    }

    @Test
    void mutationsOfEveryKindApply() {
        Random rng = new Random(3);
        Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
        for (String kind : List.of("matmul", "conv2d", "softmax")) {
            EvolutionarySearch es = search(kind, rng);
            for (int i = 0; i < 60; i++) {
                Candidate c = es.random(rng).orElseThrow();
                for (Mutation m : Mutation.values()) {
                    es.mutate(c, m, rng).ifPresent(x -> {
                        applied.merge(m, 1, Integer::sum);
                        assertFalse(x.key().equals(c.key()) && m == Mutation.TILE_SIZE, "tile mutation changed nothing");
                    });
                }
            }
        }
        assertEquals(Set.of(Mutation.values()), applied.keySet(), applied.toString());
    }

    @Test
    void tileMutationKeepsTheProductOfEachTile() {
        Random rng = new Random(11);
        EvolutionarySearch es = search("matmul", rng);
        for (int i = 0; i < 100; i++) {
            Candidate c = es.random(rng).orElseThrow();
            Sketch sk = es.policy().sketches().get(c.genotype().sketch());
            EvolutionarySearch.mutateTile(c.genotype(), rng).ifPresent(g -> {
                for (int t = 0; t < g.tiles().length; t++) {
                    long p = 1;
                    for (long l : g.tiles()[t]) {
                        p *= l;
                    }
                    assertEquals(Math.max(1, sk.tiles().get(t).extent()), p);
                }
            });
        }
    }

    @Test
    void crossoverMixesTilesOfOneSketch() {
        Random rng = new Random(5);
        EvolutionarySearch es = search("matmul", rng);
        int made = 0;
        for (int i = 0; i < 60; i++) {
            Candidate a = es.random(rng).orElseThrow();
            Candidate b = es.random(rng).orElseThrow();
            Optional<Candidate> child = es.crossover(a, b, rng);
            assertEquals(a.genotype().sketch() == b.genotype().sketch(), child.isPresent() || a.genotype().sketch() != b.genotype().sketch()
                    ? child.isPresent() : true);
            if (child.isPresent()) {
                made++;
                Build.lower(child.get().state(), "child");
                for (int t = 0; t < child.get().genotype().tiles().length; t++) {
                    long[] l = child.get().genotype().tiles()[t];
                    assertTrue(java.util.Arrays.equals(l, a.genotype().tiles()[t]) || java.util.Arrays.equals(l, b.genotype().tiles()[t]));
                }
            }
        }
        assertTrue(made > 0);
    }

    @Test
    void annotationChoicesReplayTheSameProgram() {
        Random rng = new Random(9);
        SketchPolicy p = new SketchPolicy(Dags.caseOf("matmul+bias+relu", rng).dag());
        for (Sketch sk : p.sketches()) {
            long[][] tiles = RandomAnnotation.tileSizes(sk, rng);
            RandomAnnotation.Annotated a = RandomAnnotation.annotate(sk, tiles, Map.of(), rng);
            RandomAnnotation.Annotated b = RandomAnnotation.annotate(sk, tiles, a.choices(), new Random(1));
            assertEquals(a.state().steps(), b.state().steps());
            assertEquals(a.choices(), b.choices());
        }
    }

    @Test
    void searchReturnsDistinctUnexcludedCandidatesByPredictedScore() {
        Random rng = new Random(13);
        EvolutionarySearch es = search("matmul", rng);
        SumModel model = new SumModel();
        Set<String> excluded = new HashSet<>();
        List<Candidate> first = es.search(List.of(), model, 8, excluded::contains, rng);
        assertEquals(8, first.size());
        first.forEach(c -> excluded.add(c.key()));
        List<Candidate> second = es.search(first, model, 8, excluded::contains, rng);
        assertEquals(8, second.size());
        for (Candidate c : second) {
            assertFalse(excluded.contains(c.key()));
        }
        assertEquals(8, second.stream().map(Candidate::key).distinct().count());
        double[] s = model.predict(first.stream().map(Candidate::features).toList());
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i - 1] >= s[i], "not sorted by score");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"matmul", "matmul+bias+relu", "conv2d", "softmax", "csr-mm", "depthwise", "bsr-mm"})
    void theStaticProgramIsAGenotypeThatEvolutionMutates(String kind) {
        Random rng = new Random(17 ^ kind.hashCode());
        Dags.Case c = StaticModeTest.caseOf(kind, rng);
        // Sparse DAGs are measured with their real index arrays: the case's inputs are the task inputs.
        SearchTask task = new SearchTask(c.dag(), dev.lathe.measure.Target.host(), 0, c.inputs());
        EvolutionarySearch es = new EvolutionarySearch(task, new SketchPolicy(task), EvolutionarySearch.Options.defaults());
        Candidate seed = es.staticCandidate().orElseThrow();
        assertEquals(StaticMode.schedule(c.dag(), task.target()).steps(), seed.state().steps(),
                "the static candidate is the static mode's program");
        assertEquals(Dags.check(c, seed.state()), null);
        int mutants = 0;
        for (int i = 0; i < 40; i++) {
            Mutation m = i % 2 == 0 ? Mutation.TILE_SIZE : Mutation.values()[rng.nextInt(Mutation.values().length)];
            Optional<Candidate> x = es.mutate(seed, m, rng);
            if (x.isPresent()) {
                mutants++;
                assertEquals(null, Dags.check(c, x.get().state()), kind + " mutant by " + m);
                // A decoded genotype decodes to the same program again.
                assertEquals(x.get().key(), es.decode(x.get().genotype()).orElseThrow().key());
            }
        }
        assertTrue(mutants > 0 || kind.equals("softmax"), kind + ": no mutant of the static program");
    }

    @Test
    void randomProgramsMixHeuristicAndRandomAnnotation() {
        Random rng = new Random(19);
        EvolutionarySearch es = search("conv2d", rng);
        int heuristic = 0;
        int total = 0;
        for (int i = 0; i < 60; i++) {
            Optional<Candidate> c = es.random(rng);
            if (c.isPresent()) {
                total++;
                heuristic += c.get().genotype().choices().containsKey(StaticMode.STYLE) ? 1 : 0;
            }
        }
        assertTrue(heuristic > 0 && heuristic < total, heuristic + " of " + total);
    }
}
