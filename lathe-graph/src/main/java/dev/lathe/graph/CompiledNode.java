package dev.lathe.graph;

import dev.lathe.runtime.Module;

import java.util.List;

/**
 * A node compiled to one kernel. {@code arguments} gives, per kernel parameter in order, where
 * its array comes from: an input value name, or (for outputs) a node output value name.
 */
public record CompiledNode(Node node, Module kernel, List<String> arguments, List<Boolean> isOutput) {
    public CompiledNode {
        arguments = List.copyOf(arguments);
        isOutput = List.copyOf(isOutput);
    }
}
