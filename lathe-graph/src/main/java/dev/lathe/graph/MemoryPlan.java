package dev.lathe.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which intermediate values share a buffer: values are assigned to slots greedily in execution
 * order, a slot being free again after the last kernel that reads its value. Graph outputs and
 * constants never share. A slot is as large as the largest value it ever holds.
 */
public record MemoryPlan(Map<String, Integer> slotOf, List<Long> slotBytes) {

    static MemoryPlan of(List<CompiledNode> steps, Map<String, TensorType> types, Set<String> pinned) {
        Map<String, Integer> lastUse = new HashMap<>();
        for (int s = 0; s < steps.size(); s++) {
            CompiledNode c = steps.get(s);
            for (int a = 0; a < c.arguments().size(); a++) {
                if (!c.isOutput().get(a)) {
                    lastUse.put(c.arguments().get(a), s);
                }
            }
        }
        Map<String, Integer> slotOf = new HashMap<>();
        List<Long> bytes = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (int s = 0; s < steps.size(); s++) {
            CompiledNode c = steps.get(s);
            for (int a = 0; a < c.arguments().size(); a++) {
                String v = c.arguments().get(a);
                if (!c.isOutput().get(a) || pinned.contains(v)) {
                    continue;
                }
                TensorType t = types.get(v);
                long need = Math.max(1, t.elementCount()) * t.dtype().bytes();
                int slot = free.isEmpty() ? bytes.size() : free.removeLast();
                if (slot == bytes.size()) {
                    bytes.add(need);
                } else {
                    bytes.set(slot, Math.max(bytes.get(slot), need));
                }
                slotOf.put(v, slot);
                live.add(v);
            }
            // Freed only after the step: a kernel's outputs must not share memory with its inputs.
            for (String v : new ArrayList<>(live)) {
                if (lastUse.getOrDefault(v, -1) <= s) {
                    live.remove(v);
                    free.add(slotOf.get(v));
                }
            }
        }
        return new MemoryPlan(Map.copyOf(slotOf), List.copyOf(bytes));
    }

    /** Total bytes of all slots. */
    public long totalBytes() {
        return slotBytes.stream().mapToLong(Long::longValue).sum();
    }
}
