package dev.lathe.autoschedule;

import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * A program structure without its numbers: a state whose tile splits still have placeholder
 * lengths (all 1). {@link #fill} replays the steps with chosen tile lengths.
 *
 * @param state  the template; its tile splits have factors of 1
 * @param tiles  the tiled axes, each cut into {@code levels} lengths whose product is {@code extent}
 * @param slots  the split steps whose factors come from the tiles
 * @param rules  the names of the rules that made it, in order
 */
public record Sketch(State state, List<Tile> tiles, List<Slot> slots, List<String> rules) {

    /** An axis of static {@code extent} cut into {@code levels} tile lengths, outermost first. */
    public record Tile(long extent, int levels) {
    }

    /**
     * Split step {@code step} of the template; factor {@code f} is the product of the lengths of
     * tile {@code tile} at levels {@code factorLevels.get(f)}.
     */
    public record Slot(int step, int tile, List<List<Integer>> factorLevels) {
        public Slot {
            factorLevels = factorLevels.stream().map(List::copyOf).toList();
        }
    }

    public Sketch {
        tiles = List.copyOf(tiles);
        slots = List.copyOf(slots);
        rules = List.copyOf(rules);
    }

    /** The template with tile {@code t} cut into {@code lengths[t]} (outermost first). */
    public State fill(long[][] lengths) {
        if (lengths.length != tiles.size()) {
            throw new IllegalArgumentException("sketch has " + tiles.size() + " tiles, got lengths for " + lengths.length);
        }
        List<Step> steps = new ArrayList<>(state.steps());
        for (Slot slot : slots) {
            Step.Split old = (Step.Split) steps.get(slot.step());
            long[] len = lengths[slot.tile()];
            List<Long> factors = new ArrayList<>();
            for (List<Integer> levels : slot.factorLevels()) {
                long f = 1;
                for (int l : levels) {
                    f *= len[l];
                }
                factors.add(f);
            }
            steps.set(slot.step(), new Step.Split(old.stage(), old.iter(), factors));
        }
        return State.replay(state.original(), steps);
    }

    @Override
    public String toString() {
        return "sketch " + rules + "\n" + state;
    }
}
