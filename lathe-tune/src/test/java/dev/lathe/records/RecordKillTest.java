package dev.lathe.records;

import dev.lathe.measure.MeasureInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A tuning run killed with SIGKILL mid-run loses no completed record, and resuming it measures nothing twice. */
class RecordKillTest {
    private static final int CANDIDATES = 100;

    @Test
    void aRunKilledMidWayResumesWithoutLossOrRepeats(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("tune.jsonl");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), KilledWriterMain.class.getName(), records.toString(),
                Integer.toString(CANDIDATES), "20000")
                .redirectError(dir.resolve("child.err").toFile());
        Process child = pb.start();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("done ")) {
                        done.add(Integer.parseInt(line.substring(5)));
                    }
                }
            } catch (IOException e) {
                // The pipe closes when the child dies.
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(records) < 10) {
            if (!child.isAlive()) {
                fail("the child ended before writing 10 records: exit " + child.exitValue() + ", stderr: "
                        + Files.readString(dir.resolve("child.err")));
            }
            if (System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("the child wrote no 10 records in 120 s");
            }
            Thread.sleep(5);
        }
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        assertTrue(child.exitValue() != 0, "the child must have been killed, not finished");

        List<MeasureInput> all = Fixtures.candidates(Fixtures.task(Fixtures.matmul()), CANDIDATES);
        RecordReader.Result before = RecordReader.read(records);
        assertTrue(before.summary().skippedTotal() <= 1, "at most the line being written may be cut: " + before.summary());
        assertTrue(before.records().size() < CANDIDATES, "killed mid-run");
        Set<String> recordedBefore = new HashSet<>();
        before.records().forEach(r -> recordedBefore.add(r.candidateKey()));
        assertEquals(before.records().size(), recordedBefore.size(), "no candidate recorded twice");
        for (int i : done) {
            assertTrue(recordedBefore.contains(MeasureRecord.candidateKey(all.get(i))),
                    "candidate " + i + " was reported written but is not in the file");
        }
        assertFalse(done.isEmpty());

        // Resume in this JVM.
        Fixtures.FakeMeasurer measurer = new Fixtures.FakeMeasurer(0);
        try (RecordedMeasurer m = RecordedMeasurer.resume(measurer, records,
                TuningProgress.start("resume", CANDIDATES, 0, TuningProgress.Mode.QUIET))) {
            for (int i = 0; i < all.size(); i += 7) {
                m.measureNew(all.subList(i, Math.min(all.size(), i + 7)));
            }
            assertTrue(m.measureNew(all).isEmpty(), "everything is measured now");
        }
        for (String k : measurer.measured) {
            assertFalse(recordedBefore.contains(k), "the resumed run measured a recorded candidate again");
        }
        assertEquals(CANDIDATES - recordedBefore.size(), measurer.measured.size());

        RecordReader.Result after = RecordReader.read(records);
        assertEquals(before.summary().skippedTotal(), after.summary().skippedTotal());
        Map<String, Integer> counts = new HashMap<>();
        after.records().forEach(r -> counts.merge(r.candidateKey(), 1, Integer::sum));
        List<String> wrong = new ArrayList<>();
        for (MeasureInput in : all) {
            int n = counts.getOrDefault(MeasureRecord.candidateKey(in), 0);
            if (n != 1) {
                wrong.add(n + "x " + MeasureRecord.candidateKey(in));
            }
        }
        assertTrue(wrong.isEmpty(), "every candidate exactly once: " + wrong);
        assertEquals(CANDIDATES, after.records().size());
    }

    private static long lines(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(p);
        long n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }
}
