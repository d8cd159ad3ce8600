package dev.lathe.runtime;

import dev.lathe.ir.DType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy {@code .npy} files, so arrays can be exchanged with NumPy and ONNX tooling. Reads format
 * versions 1.0, 2.0 and 3.0 and writes 1.0; little-endian, C-order arrays of the dtypes Lathe
 * has ({@code <f4 <f8 <f2 |i1 |u1 <i4 <i8 |b1}).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the header so the data starts at a multiple of 64 bytes. */
    private static final int HEADER_ALIGNMENT = 64;
    private static final long CHUNK = 1L << 30;

    private Npy() {
    }

    /** The NumPy type string of a dtype, as NumPy writes it. */
    public static String descr(DType t) {
        return switch (t) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case BOOL -> "|b1";
        };
    }

    /** The dtype of a NumPy type string; one-byte types may be spelled with {@code |}, {@code <} or {@code =}. */
    static DType dtypeOf(String descr) throws IOException {
        for (DType t : DType.values()) {
            String d = descr(t);
            if (d.equals(descr) || t.bytes() == 1 && descr.length() == 3 && "|<=".indexOf(descr.charAt(0)) >= 0
                    && d.substring(1).equals(descr.substring(1))) {
                return t;
            }
        }
        String hint = descr.startsWith(">") ? " (big-endian; convert with arr.astype(arr.dtype.newbyteorder('<')))" : "";
        throw new IOException("unsupported .npy dtype '" + descr + "'" + hint
                + "; supported: <f4 <f8 <f2 |i1 |u1 <i4 <i8 |b1");
    }

    public static NDArray read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer pre = readFully(ch, 8, path, "the magic string and version");
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre.get(i) != MAGIC[i]) {
                    throw new IOException(path + " is not a .npy file (it does not start with \\x93NUMPY)");
                }
            }
            int major = pre.get(6);
            int lenBytes = switch (major) {
                case 1 -> 2;
                case 2, 3 -> 4;
                default -> throw new IOException(path + " has .npy format version " + major + "." + pre.get(7)
                        + "; supported are 1.0, 2.0 and 3.0");
            };
            ByteBuffer lenBuf = readFully(ch, lenBytes, path, "the header length").order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = lenBytes == 2 ? Short.toUnsignedInt(lenBuf.getShort(0)) : Integer.toUnsignedLong(lenBuf.getInt(0));
            if (headerLen > 1 << 24) {
                throw new IOException(path + ": implausible .npy header length " + headerLen);
            }
            ByteBuffer hb = readFully(ch, (int) headerLen, path, "the header");
            String header = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)
                    .decode(hb).toString();
            Header h = Header.parse(header, path);
            NDArray a = NDArray.zeros(h.dtype(), h.shape());
            long bytes = a.size() * h.dtype().bytes();
            long remaining = ch.size() - ch.position();
            if (remaining != bytes) {
                throw new IOException(path + ": header says " + h.dtype() + " " + java.util.Arrays.toString(h.shape())
                        + " (" + bytes + " bytes of data) but the file holds " + remaining + " bytes after the header");
            }
            MemorySegment data = a.segment().asSlice(0, bytes);
            boolean swap = ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && h.dtype().bytes() > 1;
            MemorySegment target = swap ? Arena.ofAuto().allocate(bytes) : data;
            for (long off = 0; off < bytes; off += CHUNK) {
                ByteBuffer buf = target.asSlice(off, Math.min(CHUNK, bytes - off)).asByteBuffer();
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new IOException(path + ": unexpected end of file in the data");
                    }
                }
            }
            if (swap) {
                ValueLayout layout = layout(h.dtype());
                MemorySegment.copy(target, layout.withOrder(ByteOrder.LITTLE_ENDIAN), 0, data, layout, 0, a.size());
            }
            if (h.dtype() == DType.BOOL) {
                for (long i = 0; i < a.size(); i++) {
                    a.setLong(i, a.getLong(i)); // NumPy bools are 0/1, but make sure: anything non-zero is true
                }
            }
            return a;
        }
    }

    /** Writes an array in format version 1.0 (2.0 only if the header is too long for 1.0). */
    public static void write(NDArray a, Path path) throws IOException {
        byte[] header = header(a);
        long bytes = a.size() * a.dtype().bytes();
        MemorySegment data = a.segment().asSlice(0, bytes);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && a.dtype().bytes() > 1) {
            ValueLayout layout = layout(a.dtype());
            MemorySegment le = Arena.ofAuto().allocate(bytes);
            MemorySegment.copy(data, layout, 0, le, layout.withOrder(ByteOrder.LITTLE_ENDIAN), 0, a.size());
            data = le;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header));
            for (long off = 0; off < bytes; off += CHUNK) {
                writeFully(ch, data.asSlice(off, Math.min(CHUNK, bytes - off)).asByteBuffer());
            }
        }
    }

    /** Magic, version, header length and the padded header dictionary, as NumPy writes them. */
    static byte[] header(NDArray a) {
        StringBuilder shape = new StringBuilder("(");
        for (int d = 0; d < a.ndim(); d++) {
            shape.append(d > 0 ? ", " : "").append(a.dim(d));
        }
        shape.append(a.ndim() == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr(a.dtype()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int major = dict.length() + HEADER_ALIGNMENT <= 65535 ? 1 : 2; // version 1.0 stores the length in 16 bits
        int prefix = MAGIC.length + 2 + (major == 1 ? 2 : 4);
        int total = prefix + dict.length() + 1;
        int padded = (total + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
        String text = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer out = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) text.length());
        } else {
            out.putInt(text.length());
        }
        out.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    private static ValueLayout layout(DType t) {
        return switch (t.bytes()) {
            case 1 -> ValueLayout.JAVA_BYTE;
            case 2 -> ValueLayout.JAVA_SHORT;
            case 4 -> ValueLayout.JAVA_INT;
            default -> ValueLayout.JAVA_LONG;
        };
    }

    private static ByteBuffer readFully(FileChannel ch, int n, Path path, String what) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException(path + " ends before " + what + " of its .npy header; the file is truncated");
            }
        }
        return buf.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** The header dictionary: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. */
    private record Header(DType dtype, long[] shape) {
        static Header parse(String text, Path path) throws IOException {
            Map<String, Object> dict;
            try {
                dict = new DictParser(text.strip()).dict();
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": malformed .npy header " + text.strip() + ": " + e.getMessage());
            }
            if (!(dict.get("descr") instanceof String descr)) {
                throw new IOException(path + ": .npy header has no 'descr' string (structured dtypes are not supported): "
                        + text.strip());
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw new IOException(path + ": .npy header has no 'fortran_order' flag: " + text.strip());
            }
            if (fortran) {
                throw new IOException(path + " holds a Fortran-order (column-major) array, which is not supported; "
                        + "save it in C order (np.save(f, np.ascontiguousarray(a)))");
            }
            if (!(dict.get("shape") instanceof List<?> dims)) {
                throw new IOException(path + ": .npy header has no 'shape' tuple: " + text.strip());
            }
            long[] shape = new long[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = (Long) dims.get(d);
            }
            try {
                return new Header(dtypeOf(descr), shape);
            } catch (IOException e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
        }
    }

    /** Just enough of Python's literal syntax for a .npy header: strings, True/False, tuples of integers. */
    private static final class DictParser {
        private final String s;
        private int pos;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (!peekIs('}')) {
                String key = string();
                expect(':');
                out.put(key, value());
                if (!peekIs('}')) {
                    expect(',');
                }
            }
            expect('}');
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dictionary at offset " + pos);
            }
            return out;
        }

        private Object value() {
            skipSpace();
            char c = at();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw new IllegalArgumentException("unsupported value at offset " + pos);
        }

        private List<Long> tuple() {
            List<Long> out = new ArrayList<>();
            expect('(');
            while (!peekIs(')')) {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    throw new IllegalArgumentException("expected a dimension at offset " + pos);
                }
                out.add(Long.parseLong(s.substring(start, pos)));
                if (!peekIs(')')) {
                    expect(',');
                }
            }
            expect(')');
            return out;
        }

        private String string() {
            skipSpace();
            char q = at();
            if (q != '\'' && q != '"') {
                throw new IllegalArgumentException("expected a string at offset " + pos);
            }
            int end = s.indexOf(q, pos + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at offset " + pos);
            }
            String out = s.substring(pos + 1, end);
            pos = end + 1;
            return out;
        }

        private boolean peekIs(char c) {
            skipSpace();
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void expect(char c) {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private char at() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(pos);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
