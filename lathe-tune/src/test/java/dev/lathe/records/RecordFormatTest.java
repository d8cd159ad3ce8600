package dev.lathe.records;

import dev.lathe.build.Build;
import dev.lathe.codegen.CodegenC;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.SearchTask;
import dev.lathe.schedule.ScheduleException;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFormatTest {
    private static MeasureRecord sample() {
        SearchTask task = Fixtures.task(Fixtures.matmul());
        MeasureInput in = new MeasureInput(task, Fixtures.candidates(task, 30).get(29).state(), "{\"tile_j\":16,\"tile_i\":8}");
        return MeasureRecord.of(in, new MeasureResult(List.of(1.5e-4, 1.4e-4), ErrorKind.NONE, "", 0.3, 0.02, 42L));
    }

    @Test
    void aRecordRoundTripsThroughOneJsonLine() {
        MeasureRecord r = sample();
        String line = r.toJson();
        assertTrue(!line.contains("\n"));
        assertTrue(line.startsWith("{\"v\":1,\"workload\":\"" + r.workloadKey() + "\",\"target\":{\"name\":\"test-avx2\""), line);
        assertTrue(line.contains("\"config\":{\"tile_i\":8,\"tile_j\":16}"), "config is canonical: " + line);
        assertEquals(r, MeasureRecord.fromJson(line));
        assertEquals(line, MeasureRecord.fromJson(line).toJson());
    }

    @Test
    void aRecordReplaysToTheSameScheduleAndIdenticalC() {
        ComputeDag dag = Fixtures.matmul();
        State s = State.initial(dag).split("C", "i", 8).split("C", "j", 16)
                .reorder("C", "i.0", "j.0", "k", "i.1", "j.1").parallel("C", "i.0").unroll("C", "i.1")
                .vectorize("C", "j.1").pragma("C", "auto_unroll_max_step", 16);
        MeasureRecord r = MeasureRecord.of(new MeasureInput(Fixtures.task(dag), s), Fixtures.fakeResult(
                new MeasureInput(Fixtures.task(dag), s)));
        MeasureRecord back = MeasureRecord.fromJson(r.toJson());
        State replayed = back.toState(Fixtures.matmul()); // a DAG built anew
        assertEquals(s.toString(), replayed.toString());
        String c1 = CodegenC.generate(Build.lower(s, "k")).text();
        String c2 = CodegenC.generate(Build.lower(replayed, "k")).text();
        assertEquals(c1, c2);
    }

    @Test
    void aRecordDoesNotReplayOntoAnotherWorkload() {
        MeasureRecord r = sample();
        ComputeDag small = smallMatmul();
        assertThrows(ScheduleException.class, () -> r.toState(small));
    }

    private static ComputeDag smallMatmul() {
        var a = dev.lathe.te.Te.placeholder(List.of(8, 8), dev.lathe.ir.DType.FLOAT32, "A");
        var b = dev.lathe.te.Te.placeholder(List.of(8, 8), dev.lathe.ir.DType.FLOAT32, "B");
        var k = dev.lathe.te.Te.reduceAxis(0, 8, "k");
        return ComputeDag.of(dev.lathe.te.Te.compute(List.of(8, 8),
                (i, j) -> dev.lathe.te.Te.sum(a.get(i, k).mul(b.get(k, j)), k), "C"));
    }

    @Test
    void garbageAndTruncatedLinesAreSkippedAndCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.jsonl");
        List<MeasureRecord> good = new ArrayList<>();
        SearchTask task = Fixtures.task(Fixtures.matmul());
        for (MeasureInput in : Fixtures.candidates(task, 5)) {
            good.add(MeasureRecord.of(in, Fixtures.fakeResult(in)));
        }
        String g0 = good.get(0).toJson();
        StringBuilder sb = new StringBuilder();
        sb.append(good.get(0).toJson()).append('\n');
        sb.append("this is not json\n");
        sb.append(good.get(1).toJson()).append('\n');
        sb.append('\n');                                                        // blank: ignored
        sb.append(g0, 0, g0.length() / 2).append('\n');                          // truncated
        sb.append(good.get(2).toJson()).append('\n');
        sb.append(g0.replace("\"v\":1", "\"v\":2")).append('\n');                // another version
        sb.append(g0.replace("\"error\":", "\"code\":\"x\",\"error\":")).append('\n'); // unknown field
        sb.append("{\"v\":1}\n");                                               // missing fields
        sb.append(good.get(3).toJson()).append('\n');
        Files.writeString(file, sb.toString());
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '\n'}, StandardOpenOption.APPEND); // not UTF-8
        Files.writeString(file, good.get(4).toJson(), StandardOpenOption.APPEND);
        Files.writeString(file, "\n" + g0.substring(0, 40), StandardOpenOption.APPEND); // cut at the end of the file

        RecordReader.Result res = RecordReader.read(file);
        assertEquals(good, res.records());
        ReadSummary s = res.summary();
        assertEquals(5, s.read());
        assertEquals(7, s.skippedTotal(), s.toString());
        assertEquals(2, s.skipped(SkipReason.TRUNCATED), s.toString());
        assertEquals(2, s.skipped(SkipReason.CORRUPT), s.toString());
        assertEquals(1, s.skipped(SkipReason.UNSUPPORTED_VERSION), s.toString());
        assertEquals(2, s.skipped(SkipReason.INVALID), s.toString());
        assertTrue(s.problems().getFirst().startsWith("line 2: CORRUPT"), s.problems().toString());

        // A writer appending after the cut line starts a new line: the earlier lines stay intact.
        try (RecordWriter w = RecordWriter.open(file)) {
            w.write(good.get(0));
        }
        RecordReader.Result again = RecordReader.read(file);
        assertEquals(6, again.records().size());
        assertEquals(good.get(0), again.records().getLast());
        assertEquals(7, again.summary().skippedTotal());
    }

    @Test
    void aMissingFileReadsAsEmpty(@TempDir Path dir) {
        RecordReader.Result r = RecordReader.read(dir.resolve("none.jsonl"));
        assertTrue(r.records().isEmpty());
        assertEquals(0, r.summary().skippedTotal());
    }

    @Test
    void anOverlongLineIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, "{\"v\":1,\"message\":\"" + "x".repeat(RecordFormat.MAX_LINE_BYTES + 10) + "\"}\n"
                + sample().toJson() + "\n");
        RecordReader.Result r = RecordReader.read(file);
        assertEquals(1, r.records().size());
        assertEquals(1, r.summary().skipped(SkipReason.TOO_LONG));
    }

    static Stream<Arguments> hostile() {
        String line = sample().toJson();
        String evil = "C; system(\\\"rm -rf /\\\")";
        String steps = line.substring(line.indexOf("\"steps\":["), line.indexOf("],\"config\"") + 1);
        return Stream.of(
                Arguments.of(line.replace("\"tile_i\"", "\"" + evil + "\""), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace("\"tile_i\":8", "\"tile_i\":\"" + evil + "\""), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace("\"tile_i\":8", "\"tile_i\":{\"x\":[\"" + evil + "\"]}"),
                        SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace(steps, "\"steps\":[{\"t\":\"cache_write\",\"stage\":2,\"scope\":\""
                        + evil + "\"}]"), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace(steps, "\"steps\":[{\"t\":\"pragma\",\"stage\":2,\"key\":\""
                        + evil + "\",\"value\":1}]"), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace(steps, "\"steps\":[{\"t\":\"split\",\"stage\":2,\"iter\":0,\"factors\":[4],"
                        + "\"name\":\"" + evil + "\"}]"), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace(steps, "\"steps\":[{\"t\":\"" + evil + "\",\"stage\":2}]"),
                        SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace(steps, "\"steps\":[{\"t\":\"pragma\",\"stage\":2,\"key\":\"omp_evil\","
                        + "\"value\":1}]"), SkipReason.INVALID),
                Arguments.of(line.replace("\"avx2\"", "\"" + evil + "\""), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace("\"test-avx2\"", "\"" + evil + "\""), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace("\"workload\":\"", "\"workload\":\"x;"), SkipReason.UNSAFE_NAME),
                Arguments.of(line.replace("\"error\":\"NONE\"", "\"error\":\"" + evil + "\""), SkipReason.INVALID));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void aLineWithANameCarryingCSyntaxIsRejected(String line, SkipReason reason, @TempDir Path dir) throws Exception {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> MeasureRecord.fromJson(line));
        assertEquals(reason, e.reason(), e.getMessage());
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, line + "\n" + sample().toJson() + "\n");
        RecordReader.Result r = RecordReader.read(file);
        assertEquals(List.of(sample()), r.records());
        assertEquals(1, r.summary().skipped(reason));
    }

    @Test
    void hostileConfigsCannotBeRecorded(@TempDir Path dir) {
        SearchTask task = Fixtures.task(Fixtures.matmul());
        MeasureInput in = new MeasureInput(task, State.initial(task.dag()), "{\"C; system(\\\"rm -rf\\\")\":1}");
        RecordFormatException e = assertThrows(RecordFormatException.class,
                () -> MeasureRecord.of(in, Fixtures.fakeResult(in)));
        assertEquals(SkipReason.UNSAFE_NAME, e.reason());
        try (RecordWriter w = RecordWriter.open(dir.resolve("r.jsonl"))) {
            assertThrows(RecordFormatException.class, () -> w.write(in, Fixtures.fakeResult(in)));
            assertEquals(0, w.written());
        }
    }

    @Test
    void concurrentWritersNeverInterleaveLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.jsonl");
        SearchTask task = Fixtures.task(Fixtures.matmul());
        List<MeasureInput> cands = Fixtures.candidates(task, 40);
        try (RecordWriter w = RecordWriter.open(file); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (MeasureInput in : cands) {
                pool.submit(() -> w.write(in, Fixtures.fakeResult(in)));
            }
        }
        RecordReader.Result r = RecordReader.read(file);
        assertEquals(40, r.records().size());
        assertEquals(0, r.summary().skippedTotal());
        assertEquals(40, MeasuredCandidates.of(r.records()).size());
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).endsWith("\n"));
    }
}
