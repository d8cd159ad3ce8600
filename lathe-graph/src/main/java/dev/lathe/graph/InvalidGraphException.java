package dev.lathe.graph;

/** A graph breaks an invariant of the IR (a value defined twice, read before defined, untyped). */
public final class InvalidGraphException extends IllegalArgumentException {
    public InvalidGraphException(String graph, String message) {
        super("invalid graph " + graph + ": " + message);
    }
}
