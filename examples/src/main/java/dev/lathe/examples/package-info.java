/**
 * Hand-written schedules for common workloads, each a compute declaration from the ops library
 * plus the schedule steps a performance engineer would write; tests check them against the
 * reference evaluator and benchmarks time them against the peers.
 */
package dev.lathe.examples;
