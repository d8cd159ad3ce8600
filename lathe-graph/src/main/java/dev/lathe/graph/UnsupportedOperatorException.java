package dev.lathe.graph;

/** An operator, or a form of it (attribute value, element type, rank), that Lathe cannot compile. */
public final class UnsupportedOperatorException extends RuntimeException {
    private final String opType;

    public UnsupportedOperatorException(Node node, String what) {
        super("unsupported: " + node.label() + ": " + what);
        this.opType = node.opType();
    }

    public String opType() {
        return opType;
    }
}
