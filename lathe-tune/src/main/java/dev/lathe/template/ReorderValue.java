package dev.lathe.template;

import dev.lathe.schedule.Iter;
import dev.lathe.schedule.State;

import java.util.ArrayList;
import java.util.List;

/** The chosen order of a reorder knob's axes. */
public record ReorderValue(List<String> order) {
    public ReorderValue {
        order = List.copyOf(order);
    }

    /**
     * Puts the knob's axes in this order in the slots they occupy among the stage's loops; other
     * loops stay where they are.
     */
    public State apply(State s, String stage) {
        List<String> current = new ArrayList<>();
        for (Iter it : s.stage(s.stageIndex(stage)).leafIters()) {
            current.add(it.name());
        }
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            if (order.contains(current.get(i))) {
                slots.add(i);
            }
        }
        if (slots.size() != order.size()) {
            List<String> missing = new ArrayList<>(order);
            missing.removeAll(current);
            throw new dev.lathe.schedule.ScheduleException("reorder knob: " + stage + " has no loop(s) " + missing
                    + "; its loops are " + current);
        }
        List<String> next = new ArrayList<>(current);
        for (int i = 0; i < slots.size(); i++) {
            next.set(slots.get(i), order.get(i));
        }
        return s.reorder(stage, next.toArray(String[]::new));
    }
}
