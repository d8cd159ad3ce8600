package dev.lathe.graph;

import dev.lathe.runtime.NDArray;

import java.util.List;

/** The value of a {@code Constant} node, from whichever of its attributes is set. */
final class ConstantOp {
    private ConstantOp() {
    }

    static Constant value(Node node) {
        for (var e : node.attributes().entrySet()) {
            Constant c = switch (e.getKey()) {
                case "value" -> e.getValue() instanceof Attribute.TensorValue(Constant v) ? v : null;
                case "value_float" -> e.getValue() instanceof Attribute.Float(double v)
                        ? new Constant(NDArray.of(new float[]{(float) v})) : null;
                case "value_int" -> e.getValue() instanceof Attribute.Int(long v)
                        ? new Constant(NDArray.of(new long[]{v})) : null;
                case "value_floats" -> e.getValue() instanceof Attribute.Floats(List<Double> v)
                        ? new Constant(NDArray.of(floats(v), v.size())) : null;
                case "value_ints" -> e.getValue() instanceof Attribute.Ints(List<Long> v)
                        ? new Constant(NDArray.of(v.stream().mapToLong(Long::longValue).toArray(), v.size())) : null;
                default -> null;
            };
            if (c != null) {
                return c;
            }
        }
        throw new UnsupportedOperatorException(node, "no value, value_float(s) or value_int(s) attribute "
                + "(sparse and string constants are not supported)");
    }

    private static float[] floats(List<Double> v) {
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = v.get(i).floatValue();
        }
        return f;
    }
}
