package dev.lathe.graph;

import java.util.List;
import java.util.stream.Collectors;

/** A typed operator attribute. */
public sealed interface Attribute {
    record Int(long value) implements Attribute {
    }

    record Float(double value) implements Attribute {
    }

    record Str(String value) implements Attribute {
    }

    record Ints(List<Long> values) implements Attribute {
        public Ints {
            values = List.copyOf(values);
        }
    }

    record Floats(List<Double> values) implements Attribute {
        public Floats {
            values = List.copyOf(values);
        }
    }

    record Strs(List<String> values) implements Attribute {
        public Strs {
            values = List.copyOf(values);
        }
    }

    record TensorValue(Constant value) implements Attribute {
    }

    /** The attribute in the printer's notation. */
    static String format(Attribute a) {
        return switch (a) {
            case Int(long v) -> Long.toString(v);
            case Float(double v) -> Double.toString(v);
            case Str(String v) -> '"' + v + '"';
            case Ints(List<Long> v) -> v.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
            case Floats(List<Double> v) -> v.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
            case Strs(List<String> v) -> v.stream().map(s -> '"' + s + '"').collect(Collectors.joining(",", "[", "]"));
            case TensorValue(Constant c) -> c.toString();
        };
    }
}
