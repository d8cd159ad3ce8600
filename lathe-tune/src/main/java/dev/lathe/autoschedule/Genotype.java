package dev.lathe.autoschedule;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the evolutionary search mutates: a sketch (by index in {@link SketchPolicy#sketches()}),
 * the tile lengths of each of its tiles (outermost first, product = the tile's extent) and the
 * annotation choices of {@link RandomAnnotation.Annotated#choices()}. Decoding it with
 * {@link RandomAnnotation#annotate(Sketch, long[][], Map, java.util.Random)} gives the program;
 * every genotype decodes to a valid schedule because every step is applied only when accepted.
 */
public record Genotype(int sketch, long[][] tiles, Map<String, Integer> choices) {
    public Genotype {
        long[][] copy = new long[tiles.length][];
        for (int t = 0; t < tiles.length; t++) {
            copy[t] = tiles[t].clone();
        }
        tiles = copy;
        choices = Collections.unmodifiableMap(new TreeMap<>(choices));
    }

    /** A copy of the tile lengths. */
    public long[][] tileLengths() {
        long[][] copy = new long[tiles.length][];
        for (int t = 0; t < tiles.length; t++) {
            copy[t] = tiles[t].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Genotype g && g.sketch == sketch && Arrays.deepEquals(g.tiles, tiles)
                && g.choices.equals(choices);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sketch + Arrays.deepHashCode(tiles)) + choices.hashCode();
    }

    @Override
    public String toString() {
        return "Genotype[sketch=" + sketch + ", tiles=" + Arrays.deepToString(tiles) + ", choices=" + choices + "]";
    }
}
