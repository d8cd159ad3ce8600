package dev.lathe.measure;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkerClassPathTest {
    @Test
    void relativeEntriesBecomeAbsoluteBecauseTheWorkerRunsElsewhere() {
        String cp = "lathe.jar" + File.pathSeparator + "/opt/x/classes";
        String abs = ProcessRunner.absoluteClassPath(cp);
        assertEquals(Path.of("lathe.jar").toAbsolutePath() + File.pathSeparator + "/opt/x/classes", abs);
    }
}
