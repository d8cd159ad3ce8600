package dev.lathe.graph.fusion;

import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Partitions a graph into fused groups, greedily in topological order. An element-wise or
 * injective node joins the group that produces one of its inputs when
 * <ul>
 *   <li>it is the only reader of that value and the value is not a graph output (so the value
 *       never has to exist in memory: the scheduler may inline it),</li>
 *   <li>that group is an anchor with what followed it, or an element-wise/injective chain
 *       (an opaque group takes nothing after it), and</li>
 *   <li>every other input of the node comes from an earlier group, a graph input or a constant,
 *       so running the groups in order stays topological.</li>
 * </ul>
 * Anchors never join another group: each convolution, matrix product, pooling or reduction
 * starts its own, and the operators after it fuse into its compute declaration.
 */
public final class Fusion {
    /** Groups grow at most to this many nodes, which keeps DAGs (and their search spaces) small. */
    public static final int MAX_GROUP_NODES = 16;

    private Fusion() {
    }

    public static List<FusedGroup> partition(Graph g) {
        Map<String, Set<Node>> readers = new HashMap<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readers.computeIfAbsent(in, k -> new HashSet<>()).add(n);
                }
            }
        }
        Set<String> graphOutputs = new HashSet<>(g.outputs());
        Map<String, Integer> groupOf = new HashMap<>();
        List<List<Node>> members = new ArrayList<>();
        List<OpPattern> patterns = new ArrayList<>();
        for (Node n : g.nodes()) {
            OpPattern p = OpPattern.of(n);
            int target = -1;
            if (p.fusesAfterProducer()) {
                for (String in : n.inputs()) {
                    Integer grp = groupOf.get(in);
                    if (grp != null && readers.get(in).size() == 1 && !graphOutputs.contains(in)
                            && patterns.get(grp) != OpPattern.OPAQUE && members.get(grp).size() < MAX_GROUP_NODES
                            && otherInputsBefore(n, grp, groupOf)) {
                        target = grp;
                        break;
                    }
                }
            }
            if (target < 0) {
                target = members.size();
                members.add(new ArrayList<>());
                patterns.add(p);
            }
            members.get(target).add(n);
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    groupOf.put(out, target);
                }
            }
        }
        List<FusedGroup> groups = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            groups.add(group(i, members.get(i), patterns.get(i), readers, graphOutputs));
        }
        return groups;
    }

    private static boolean otherInputsBefore(Node n, int grp, Map<String, Integer> groupOf) {
        return n.inputs().stream().allMatch(in -> groupOf.getOrDefault(in, -1) <= grp);
    }

    private static FusedGroup group(int index, List<Node> nodes, OpPattern pattern, Map<String, Set<Node>> readers,
                                    Set<String> graphOutputs) {
        Set<Node> inGroup = new HashSet<>(nodes);
        Set<String> produced = new HashSet<>();
        Set<String> inputs = new LinkedHashSet<>();
        List<String> outputs = new ArrayList<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !produced.contains(in)) {
                    inputs.add(in);
                }
            }
            for (String out : n.outputs()) {
                if (out.isEmpty()) {
                    continue;
                }
                produced.add(out);
                boolean readOutside = readers.getOrDefault(out, Set.of()).stream().anyMatch(r -> !inGroup.contains(r));
                if (readOutside || graphOutputs.contains(out)) {
                    outputs.add(out);
                }
            }
        }
        return new FusedGroup(index, nodes, pattern, List.copyOf(inputs), outputs);
    }
}
