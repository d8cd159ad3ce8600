package dev.lathe.records;

import dev.lathe.measure.MeasureInput;

import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link RecordKillTest}: measures candidates one at a time with a fake
 * measurer through a resumed {@link RecordedMeasurer} and prints {@code done <index>} after each
 * record is on disk. Arguments: records file, number of candidates, spin microseconds per candidate.
 */
public final class KilledWriterMain {
    private KilledWriterMain() {
    }

    public static void main(String[] args) {
        Path records = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long spin = Long.parseLong(args[2]);
        List<MeasureInput> all = Fixtures.candidates(Fixtures.task(Fixtures.matmul()), count);
        try (RecordedMeasurer m = RecordedMeasurer.resume(new Fixtures.FakeMeasurer(spin), records,
                TuningProgress.start("kill-test", count, 0, TuningProgress.Mode.QUIET))) {
            for (int i = 0; i < all.size(); i++) {
                if (!m.measureNew(List.of(all.get(i))).isEmpty()) {
                    System.out.println("done " + i);
                    System.out.flush();
                }
            }
        }
        System.out.println("finished");
    }
}
