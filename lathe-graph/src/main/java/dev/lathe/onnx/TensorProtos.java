package dev.lathe.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lathe.graph.OnnxTypes;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Converts ONNX {@code TensorProto}s (initializers, attribute tensors, {@code .pb} test data) to NDArrays. */
public final class TensorProtos {
    private TensorProtos() {
    }

    /** Reads a file holding one serialized TensorProto. */
    public static NDArray read(Path file) {
        try {
            return toArray(TensorProto.parseFrom(Files.readAllBytes(file)));
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file + " is not a serialized ONNX TensorProto: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OnnxFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The tensor's values as an array of its element type and shape. */
    public static NDArray toArray(TensorProto t) {
        DType dtype = OnnxTypes.dtypeOrNull(t.getDataType());
        String name = t.getName().isEmpty() ? "tensor" : "tensor '" + t.getName() + "'";
        if (dtype == null) {
            throw new OnnxFormatException(name + " has ONNX element type " + t.getDataType()
                    + ", which Lathe does not support (float32/64/16, int8/32/64, uint8, bool)");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxFormatException(name + " keeps its data in an external file, which is not supported yet");
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        NDArray a = NDArray.zeros(dtype, shape);
        long n = a.size();
        MemorySegment seg = a.segment();
        if (!t.getRawData().isEmpty()) {
            byte[] raw = t.getRawData().toByteArray();
            if (raw.length != n * dtype.bytes()) {
                throw new OnnxFormatException(name + ": raw_data holds " + raw.length + " bytes, the shape needs "
                        + n * dtype.bytes());
            }
            // raw_data is little-endian; so is every host Lathe generates code for.
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                throw new OnnxFormatException("reading raw_data needs a little-endian host");
            }
            MemorySegment.copy(MemorySegment.ofArray(raw), 0, seg, 0, raw.length);
            return a;
        }
        int count = switch (dtype) {
            case FLOAT32 -> t.getFloatDataCount();
            case FLOAT64 -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != n) {
            throw new OnnxFormatException(name + ": " + count + " values for a shape of " + n + " elements");
        }
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case FLOAT32 -> seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, t.getFloatData(i));
                case FLOAT64 -> seg.setAtIndex(ValueLayout.JAVA_DOUBLE, i, t.getDoubleData(i));
                case INT64 -> seg.setAtIndex(ValueLayout.JAVA_LONG, i, t.getInt64Data(i));
                case INT32 -> seg.setAtIndex(ValueLayout.JAVA_INT, i, t.getInt32Data(i));
                case FLOAT16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) t.getInt32Data(i));
                case INT8, UINT8, BOOL -> seg.set(ValueLayout.JAVA_BYTE, i, (byte) t.getInt32Data(i));
            }
        }
        return a;
    }
}
