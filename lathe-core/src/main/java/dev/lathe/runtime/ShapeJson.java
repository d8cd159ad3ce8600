package dev.lathe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;

import java.util.Map;

/**
 * Shape expressions (integer arithmetic over size variables) as JSON: a number, a variable's
 * name as a string, or {@code {"op": "MUL", "a": ..., "b": ...}}. Module metadata and network
 * manifests write shapes this way, so both read alike.
 */
public final class ShapeJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ShapeJson() {
    }

    /** The JSON form of {@code e}; an {@link IllegalArgumentException} if it is not integer arithmetic over size variables. */
    public static JsonNode write(Expr e) {
        return switch (e) {
            case IntImm i -> F.numberNode(i.value());
            case Var v -> F.textNode(v.name());
            case Cast c when c.dtype() == DType.INT64 -> write(c.value());
            case Binary b when !b.op().isComparison() && !b.op().isLogical() -> {
                ObjectNode o = F.objectNode();
                o.put("op", b.op().name());
                o.set("a", write(b.a()));
                o.set("b", write(b.b()));
                yield o;
            }
            default -> throw new IllegalArgumentException("shape expression " + e + " cannot be exported: only integer "
                    + "arithmetic over size variables is supported in shapes");
        };
    }

    /** The expression {@code n} denotes, its size variables taken from {@code vars} by name. */
    public static Expr read(JsonNode n, Map<String, Var> vars) {
        if (n.isIntegralNumber()) {
            return IntImm.of(n.asLong());
        }
        if (n.isTextual()) {
            Var v = vars.get(n.asText());
            if (v == null) {
                throw new IllegalArgumentException("shape refers to unknown size variable '" + n.asText() + "'");
            }
            return v;
        }
        if (n.isObject() && n.has("op")) {
            BinaryOp op = BinaryOp.valueOf(n.get("op").asText());
            return new Binary(op, read(n.get("a"), vars), read(n.get("b"), vars));
        }
        throw new IllegalArgumentException("malformed shape expression in module metadata: " + n);
    }
}
