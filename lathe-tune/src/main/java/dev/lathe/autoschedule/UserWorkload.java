package dev.lathe.autoschedule;

import dev.lathe.measure.SearchTask;

/**
 * A compute declaration of a user's own, offered to {@code lathe tune --jar my.jar ID}: the jar
 * lists its implementations in {@code META-INF/services/dev.lathe.autoschedule.UserWorkload}
 * (Java's service-provider mechanism), and the command tunes the one whose {@link #id()} it is given.
 */
public interface UserWorkload {
    /** The name the command line uses. */
    String id();

    /** The search task: the DAG, and the real arrays of any inputs read as indices (task inputs). */
    SearchTask task(int threads);

    /** Floating-point operations of one run, for GFLOP/s; 0 if unknown. */
    default double flops() {
        return 0;
    }
}
