package dev.lathe.graph;

/**
 * A lowering needs the value of an input (a target shape, slice bounds, axes) that is known only
 * at run time. Import then takes the declared type of the outputs; the executor specializes the
 * graph on the actual input values before it compiles.
 */
public final class ValueNeededException extends RuntimeException {
    private final int input;

    public ValueNeededException(Node node, int input) {
        super(node.label() + ": the value of input " + input + " ('" + node.input(input)
                + "') must be known at compile time (a constant or an initializer)");
        this.input = input;
    }

    public int input() {
        return input;
    }
}
