/**
 * Building: the path from a ComputeDag (and later its schedule) to a callable
 * {@link dev.lathe.runtime.Module} — lowering, checks, C generation, compilation, loading.
 */
package dev.lathe.build;
