package dev.lathe.graph;

import dev.lathe.ir.DType;

/** ONNX element-type codes (TensorProto.DataType) and the Lathe types they map to. */
public final class OnnxTypes {
    private OnnxTypes() {
    }

    /** The Lathe type of an ONNX element-type code, or null when Lathe has none. */
    public static DType dtypeOrNull(int code) {
        return switch (code) {
            case 1 -> DType.FLOAT32;
            case 2 -> DType.UINT8;
            case 3 -> DType.INT8;
            case 6 -> DType.INT32;
            case 7 -> DType.INT64;
            case 9 -> DType.BOOL;
            case 10 -> DType.FLOAT16;
            case 11 -> DType.FLOAT64;
            default -> null;
        };
    }

    static DType dtype(LowerContext ctx, int code) {
        DType d = dtypeOrNull(code);
        if (d == null) {
            throw ctx.unsupported("element type code " + code + " has no Lathe type");
        }
        return d;
    }
}
