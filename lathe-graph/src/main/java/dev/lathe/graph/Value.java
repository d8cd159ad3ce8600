package dev.lathe.graph;

/** A named, typed value of a graph: a graph input, an initializer or a node output. */
public record Value(String name, TensorType type) {
    public Value {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a value needs a non-empty name");
        }
        if (type == null) {
            throw new IllegalArgumentException("value " + name + " has no type");
        }
    }

    @Override
    public String toString() {
        return name + ": " + type;
    }
}
