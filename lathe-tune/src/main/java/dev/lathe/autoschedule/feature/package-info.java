/**
 * Per-store features of a lowered loop nest, the input of the learned cost model: for every
 * buffer store of a {@link dev.lathe.tir.PrimFunc}, a fixed-length vector of arithmetic counts,
 * loop annotations, memory-access and reuse statistics of the buffers it touches, and the
 * shape of its loop nest and allocations. Counts multiply loop extents rather than enumerate
 * iterations, so extraction costs time in the size of the IR, not of the iteration space.
 * The feature list is documented in {@code docs/autoschedule-features.md}.
 */
package dev.lathe.autoschedule.feature;
