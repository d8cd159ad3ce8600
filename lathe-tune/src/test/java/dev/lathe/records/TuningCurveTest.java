package dev.lathe.records;

import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.SearchTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuningCurveTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void theCurveOfARecordsFileIsAPngNextToIt(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("matmul.jsonl");
        SearchTask task = Fixtures.task(Fixtures.matmul());
        try (RecordWriter w = RecordWriter.open(records)) {
            for (MeasureInput in : Fixtures.candidates(task, 30)) {
                w.write(in, Fixtures.fakeResult(in));
            }
        }
        Path png = TuningCurve.write(records);
        assertEquals(dir.resolve("matmul.jsonl.png"), png);
        assertPng(png);
    }

    @Test
    void theCurveOfAListOfResults(@TempDir Path dir) throws Exception {
        SearchTask task = Fixtures.task(Fixtures.matmul());
        List<MeasureResult> results = Fixtures.candidates(task, 20).stream().map(Fixtures::fakeResult).toList();
        Path png = dir.resolve("sub/curve.png");
        TuningCurve.write(results, png, "matmul");
        assertPng(png);
        double[][] xy = TuningCurve.bestSoFar(results);
        for (int i = 1; i < xy[1].length; i++) {
            assertTrue(xy[1][i] <= xy[1][i - 1], "best so far never rises");
        }
        assertEquals(results.stream().filter(MeasureResult::ok).mapToDouble(MeasureResult::meanCost).min()
                .orElseThrow() * 1e3, xy[1][xy[1].length - 1], 1e-12);
    }

    private static void assertPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(900, img.getWidth());
        assertEquals(540, img.getHeight());
    }
}
