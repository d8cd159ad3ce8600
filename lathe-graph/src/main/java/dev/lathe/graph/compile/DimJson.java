package dev.lathe.graph.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.graph.Dim;
import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;

import java.util.Map;

/**
 * A dimension in a network manifest: a number, a size variable's name, or integer arithmetic over
 * them as {@code {"op": "MUL", "a": ..., "b": ...}} — the form {@code module.json} gives kernel
 * parameter shapes, so a manifest and its kernels read alike.
 */
final class DimJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DimJson() {
    }

    static JsonNode write(Dim d, String value) {
        return write(d.extent(), d, value);
    }

    private static JsonNode write(Expr e, Dim whole, String value) {
        return switch (e) {
            case IntImm i -> F.numberNode(i.value());
            case Var v -> F.textNode(v.name());
            case Cast c when c.dtype() == DType.INT64 -> write(c.value(), whole, value);
            case Binary b when !b.op().isComparison() && !b.op().isLogical() && b.op() != BinaryOp.DIV -> {
                ObjectNode o = F.objectNode();
                o.put("op", b.op().name());
                o.set("a", write(b.a(), whole, value));
                o.set("b", write(b.b(), whole, value));
                yield o;
            }
            default -> throw new IllegalStateException("value '" + value + "' has the dimension " + whole + ", which "
                    + "is not integer arithmetic over size variables and cannot be exported");
        };
    }

    /** The dimension {@code n} denotes, its size variables taken from {@code vars} (one per name in a manifest). */
    static Dim read(JsonNode n, Map<String, Var> vars) {
        return Dim.of(expr(n, vars));
    }

    private static Expr expr(JsonNode n, Map<String, Var> vars) {
        if (n.isIntegralNumber()) {
            return IntImm.of(n.asLong());
        }
        if (n.isTextual()) {
            Var v = vars.get(n.asText());
            if (v == null) {
                throw new IllegalArgumentException("a dimension refers to the size variable '" + n.asText()
                        + "', which the manifest's sizeVars do not list");
            }
            return v;
        }
        if (n.isObject() && n.has("op") && n.has("a") && n.has("b")) {
            return new Binary(BinaryOp.valueOf(n.get("op").asText()), expr(n.get("a"), vars), expr(n.get("b"), vars));
        }
        throw new IllegalArgumentException("malformed dimension in the network manifest: " + n);
    }
}
