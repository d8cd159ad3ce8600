/**
 * Tuning records: one JSON line per measured candidate ({@link dev.lathe.records.MeasureRecord}),
 * appended and forced to disk as results arrive ({@link dev.lathe.records.RecordWriter}); reading
 * ({@link dev.lathe.records.RecordReader}) skips corrupt, truncated and unsafe lines and reports
 * them. The best record per workload and target ({@link dev.lathe.records.BestRecords}) is what
 * {@link dev.lathe.records.ApplyHistoryBest} compiles; {@link dev.lathe.records.MeasuredCandidates}
 * and {@link dev.lathe.records.RecordedMeasurer} make runs resumable;
 * {@link dev.lathe.records.TuningProgress} and {@link dev.lathe.records.TuningCurve} show progress
 * and the tuning curve. See {@code docs/records.md}.
 */
package dev.lathe.records;
