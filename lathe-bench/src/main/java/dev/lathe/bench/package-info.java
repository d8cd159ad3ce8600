/**
 * Benchmarks: each prints a table of Lathe's kernels next to a peer measured in the same
 * process (a hand-written C loop, OpenBLAS, oneDNN), as medians of repeated runs.
 */
package dev.lathe.bench;
