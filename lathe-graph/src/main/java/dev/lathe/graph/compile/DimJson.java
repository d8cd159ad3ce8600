package dev.lathe.graph.compile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.graph.Dim;
import dev.lathe.ir.Var;
import dev.lathe.runtime.ShapeJson;

import java.util.Map;

/**
 * A dimension in a network manifest, in the form {@code module.json} gives kernel parameter shapes
 * ({@link ShapeJson}: a number, a size variable's name, or integer arithmetic over them), so a
 * manifest and its kernels read alike.
 */
final class DimJson {
    private DimJson() {
    }

    static JsonNode write(Dim d, String value) {
        try {
            return ShapeJson.write(d.extent());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("value '" + value + "' has the dimension " + d + ", which is not integer "
                    + "arithmetic over size variables and cannot be exported", e);
        }
    }

    /** The dimension {@code n} denotes, its size variables taken from {@code vars} (one per name in a manifest). */
    static Dim read(JsonNode n, Map<String, Var> vars) {
        try {
            return Dim.of(ShapeJson.read(n, vars));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("malformed dimension in the network manifest: " + n + " ("
                    + e.getMessage() + ")", e);
        }
    }
}
