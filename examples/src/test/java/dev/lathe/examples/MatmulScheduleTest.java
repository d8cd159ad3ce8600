package dev.lathe.examples;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

class MatmulScheduleTest {
    @ParameterizedTest
    @CsvSource({"48, 64, 32", "37, 45, 29", "6, 16, 1", "100, 33, 70"})
    void handScheduleMatchesTheReference(int m, int n, int k) {
        ScheduleCheck.matchesReference(MatmulSchedule.schedule(MatmulSchedule.declare(m, n, k)), Map.of());
    }
}
