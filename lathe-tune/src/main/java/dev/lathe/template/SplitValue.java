package dev.lathe.template;

import dev.lathe.schedule.State;

import java.util.List;

/**
 * The chosen split: loop extents outer to inner ({@code sizes.get(0)} is the outermost, the
 * remainder). Splitting iterator {@code x} gives loops {@code x.0, x.1, ..., x.(n-1)}.
 */
public record SplitValue(List<Long> sizes) {
    public SplitValue {
        sizes = List.copyOf(sizes);
    }

    public long size(int i) {
        return sizes.get(i);
    }

    /** The inner extents, as {@link State#split} takes them. */
    public long[] factors() {
        return sizes.subList(1, sizes.size()).stream().mapToLong(Long::longValue).toArray();
    }

    /** Splits {@code stage.iter} into {@code sizes.size()} loops; a one-way split changes nothing. */
    public State apply(State s, String stage, String iter) {
        return sizes.size() == 1 ? s : s.split(stage, iter, factors());
    }

    /** The names of the loops {@link #apply} makes from {@code iter}. */
    public List<String> names(String iter) {
        if (sizes.size() == 1) {
            return List.of(iter);
        }
        return java.util.stream.IntStream.range(0, sizes.size()).mapToObj(i -> iter + "." + i).toList();
    }
}
