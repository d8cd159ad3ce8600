package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
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
        List<List<String>> reads = new ArrayList<>();
        List<List<String>> writes = new ArrayList<>();
        for (CompiledNode c : steps) {
            List<String> r = new ArrayList<>();
            List<String> w = new ArrayList<>();
            for (int a = 0; a < c.arguments().size(); a++) {
                (c.isOutput().get(a) ? w : r).add(c.arguments().get(a));
            }
            reads.add(r);
            writes.add(w);
        }
        Map<String, Long> bytes = new HashMap<>();
        writes.forEach(ws -> ws.forEach(v -> {
            TensorType t = types.get(v);
            bytes.put(v, Math.max(1, t.elementCount()) * t.dtype().bytes());
        }));
        return of(reads, writes, bytes, pinned);
    }

    /**
     * The plan of any sequence of kernels: step s reads the values {@code reads.get(s)} and writes
     * {@code writes.get(s)}, a written value taking {@code bytes} of memory; {@code pinned} values
     * (graph outputs) get no slot and are allocated by the caller.
     */
    public static MemoryPlan of(List<List<String>> reads, List<List<String>> writes, Map<String, Long> bytes,
                                Set<String> pinned) {
        Map<String, Integer> lastUse = new HashMap<>();
        for (int s = 0; s < reads.size(); s++) {
            for (String v : reads.get(s)) {
                lastUse.put(v, s);
            }
        }
        Map<String, Integer> slotOf = new HashMap<>();
        List<Long> slotBytes = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (int s = 0; s < writes.size(); s++) {
            for (String v : writes.get(s)) {
                if (pinned.contains(v)) {
                    continue;
                }
                long need = bytes.get(v);
                int slot = free.isEmpty() ? slotBytes.size() : free.removeLast();
                if (slot == slotBytes.size()) {
                    slotBytes.add(need);
                } else {
                    slotBytes.set(slot, Math.max(slotBytes.get(slot), need));
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
        return new MemoryPlan(Map.copyOf(slotOf), List.copyOf(slotBytes));
    }

    /** One zeroed byte buffer per slot, for one run of the plan. */
    public List<NDArray> allocate() {
        return slotBytes.stream().map(n -> NDArray.zeros(DType.INT8, n)).toList();
    }

    /** A value of the given type laid over the start of a slot's buffer. */
    public static NDArray view(NDArray slot, DType dtype, long[] shape) {
        long n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        return NDArray.wrap(dtype, slot.segment().asSlice(0, Math.max(1, n) * dtype.bytes()), shape);
    }

    /** Total bytes of all slots. */
    public long totalBytes() {
        return slotBytes.stream().mapToLong(Long::longValue).sum();
    }
}
