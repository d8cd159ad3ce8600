package dev.lathe.graph.compile;

import dev.lathe.runtime.Module;

import java.util.List;

/**
 * One kernel call of a compiled network: per kernel parameter, the graph value it binds and
 * whether the kernel writes it. {@code workloadKey} names the task the kernel was compiled for.
 */
public record Step(String name, String workloadKey, Module kernel, List<String> arguments, List<Boolean> isOutput) {
    public Step {
        arguments = List.copyOf(arguments);
        isOutput = List.copyOf(isOutput);
        if (arguments.size() != kernel.params().size() || isOutput.size() != arguments.size()) {
            throw new IllegalArgumentException("step " + name + " binds " + arguments.size() + " values, its kernel takes "
                    + kernel.params().size() + " (" + kernel.signature() + ")");
        }
    }

    List<String> reads() {
        return filter(false);
    }

    List<String> writes() {
        return filter(true);
    }

    private List<String> filter(boolean out) {
        return java.util.stream.IntStream.range(0, arguments.size()).filter(i -> isOutput.get(i) == out)
                .mapToObj(arguments::get).toList();
    }
}
