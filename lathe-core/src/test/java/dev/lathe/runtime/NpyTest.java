package dev.lathe.runtime;

import dev.lathe.ir.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir
    Path dir;

    /** Raw bytes of an array's elements, so float round trips are compared bit for bit. */
    private static byte[] bytes(NDArray a) {
        return a.segment().asSlice(0, a.size() * a.dtype().bytes()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void roundTripsEveryDtypeAndRank(DType t) throws IOException {
        Random rng = new Random(42);
        for (long[] shape : new long[][]{{2, 3}, {5}, {}, {0, 4}, {2, 1, 3}}) {
            NDArray a = NDArray.random(t, rng, shape);
            Path p = dir.resolve(t + "_" + shape.length + ".npy");
            Npy.write(a, p);
            NDArray b = Npy.read(p);
            assertEquals(t, b.dtype());
            assertArrayEquals(shape, b.shape());
            assertArrayEquals(bytes(a), bytes(b), t + " " + Arrays.toString(shape));
            assertEquals(0, (Files.size(p) - a.size() * t.bytes()) % 64, "the data starts 64-byte aligned");
        }
    }

    @Test
    void headerIsByteForByteWhatNumpyWrites() throws IOException {
        NDArray a = NDArray.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Path p = dir.resolve("a.npy");
        Npy.write(a, p);
        byte[] file = Files.readAllBytes(p);
        assertEquals(128 + 6 * 4, file.length);
        // np.save(f, np.arange(1, 7, dtype='<f4').reshape(2, 3)) starts with these 10 bytes...
        assertEquals("934e554d505901007600", HexFormat.of().formatHex(file, 0, 10));
        // ...then this dictionary, padded with spaces to 128 bytes in all and ended by a newline.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String header = new String(file, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n", header);
        ByteBuffer data = ByteBuffer.wrap(file, 128, 24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, data.getFloat(), "little-endian element " + i);
        }
    }

    @Test
    void oneDimensionalShapeHasATrailingComma() {
        String h = new String(Npy.header(NDArray.zeros(DType.INT8, 3)), StandardCharsets.ISO_8859_1);
        assertTrue(h.contains("'descr': '|i1'") && h.contains("'shape': (3,)"), h);
        String scalar = new String(Npy.header(NDArray.zeros(DType.BOOL)), StandardCharsets.ISO_8859_1);
        assertTrue(scalar.contains("'descr': '|b1'") && scalar.contains("'shape': ()"), scalar);
    }

    /** A .npy file assembled by hand: given version, header text (padded here) and data. */
    private Path handMade(int major, String dict, byte[] data) throws IOException {
        int lenBytes = major == 1 ? 2 : 4;
        int prefix = 8 + lenBytes;
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        String text = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) text.length());
        } else {
            b.putInt(text.length());
        }
        b.put(text.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        Path p = dir.resolve("hand" + System.nanoTime() + ".npy");
        Files.write(p, b.array());
        return p;
    }

    private static byte[] int64s(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    @Test
    void readsVersion2AndKeysInAnyOrder() throws IOException {
        Path p = handMade(2, "{'shape': (3,), 'fortran_order': False, 'descr': '<i8'}", int64s(-1, Long.MAX_VALUE, 7));
        NDArray a = Npy.read(p);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[]{-1, Long.MAX_VALUE, 7}, a.toLongArray());
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        Path p = handMade(1, "{'descr': '<i8', 'fortran_order': True, 'shape': (1, 2), }", int64s(1, 2));
        var e = assertThrows(IOException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedAndBigEndianDtypes() throws IOException {
        Path complex = handMade(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        var e = assertThrows(IOException.class, () -> Npy.read(complex));
        assertTrue(e.getMessage().contains("'<c8'"), e.getMessage());
        Path bigEndian = handMade(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        var be = assertThrows(IOException.class, () -> Npy.read(bigEndian));
        assertTrue(be.getMessage().contains("big-endian"), be.getMessage());
    }

    @Test
    void rejectsTruncatedDataAndNonNpyFiles() throws IOException {
        Path shortData = handMade(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", int64s(1, 2));
        var e = assertThrows(IOException.class, () -> Npy.read(shortData));
        assertTrue(e.getMessage().contains("24 bytes") && e.getMessage().contains("16 bytes"), e.getMessage());
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "hello, world");
        var notNpy = assertThrows(IOException.class, () -> Npy.read(text));
        assertTrue(notNpy.getMessage().contains("not a .npy file"), notNpy.getMessage());
    }

    @Test
    void boolBytesOtherThanOneReadAsTrue() throws IOException {
        Path p = handMade(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[]{0, 1, 5});
        assertArrayEquals(new long[]{0, 1, 1}, Npy.read(p).toLongArray());
    }
}
