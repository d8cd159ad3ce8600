/**
 * Schedules: how a ComputeDag is computed. A {@link dev.lathe.schedule.State} holds one
 * {@link dev.lathe.schedule.Stage} per operation — its loop iterators after splits, fuses and
 * reorders, their annotations, and where the stage is computed — and the list of
 * {@link dev.lathe.schedule.Step}s that produced it. Steps are data: they serialize to JSON and
 * replay onto an equal ComputeDag built anew.
 */
package dev.lathe.schedule;
