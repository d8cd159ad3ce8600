package dev.lathe.ir;

import java.util.Locale;

/** Element types of tensors and scalar expressions. float16 is a storage type: arithmetic on it runs in float32. */
public enum DType {
    FLOAT32(4, "float"),
    FLOAT64(8, "double"),
    FLOAT16(2, "uint16_t"),
    INT8(1, "int8_t"),
    UINT8(1, "uint8_t"),
    INT32(4, "int32_t"),
    INT64(8, "int64_t"),
    BOOL(1, "bool");

    private final int bytes;
    private final String cType;

    DType(int bytes, String cType) {
        this.bytes = bytes;
        this.cType = cType;
    }

    /** Size of one element in memory, in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The C type used to store one element. */
    public String cType() {
        return cType;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16;
    }

    public boolean isInt() {
        return this == INT8 || this == UINT8 || this == INT32 || this == INT64;
    }

    public boolean isBool() {
        return this == BOOL;
    }

    /** Number of value bits of an integer type (0 for others). */
    public int intBits() {
        return isInt() ? bytes * 8 : 0;
    }

    /** Lower-case name as used in printed IR and serialized forms, e.g. {@code float32}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@link #label()}. */
    public static DType fromLabel(String label) {
        for (DType t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + label + "'; expected one of float32, float64, "
                + "float16, int8, uint8, int32, int64, bool");
    }

    /** Wraps a long to this integer type's range, the way a C store would. */
    public long wrap(long v) {
        return switch (this) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case INT32 -> (int) v;
            case BOOL -> v != 0 ? 1 : 0;
            default -> v;
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
