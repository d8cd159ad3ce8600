/**
 * The auto-scheduler: sketches, random annotation, evolutionary search guided by a learned
 * cost model, the task scheduler and the static mode.
 *
 * <p>{@link dev.lathe.autoschedule.DagAnalysis} classifies each operation (inlinable, needs
 * multi-level tiling, reduction, fusible consumer, data-dependent, degenerate).
 * {@link dev.lathe.autoschedule.SketchPolicy} visits the stages from the last to the first and
 * applies {@link dev.lathe.autoschedule.SketchRule}s (user rules first, then
 * {@link dev.lathe.autoschedule.SketchRules#DEFAULTS}: always-inline, add-cache-write,
 * multi-level-tiling-with-fusion, multi-level-tiling "SSRSRS", add-rfactor,
 * multi-level-tiling-sparse, skip) to get
 * {@link dev.lathe.autoschedule.Sketch}es: states whose tile splits have unfilled lengths.
 * {@link dev.lathe.autoschedule.RandomAnnotation} turns a sketch into a complete program.
 */
package dev.lathe.autoschedule;
