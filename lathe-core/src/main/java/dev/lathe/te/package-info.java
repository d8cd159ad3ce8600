/**
 * Tensor expressions: how a user declares a computation. {@link dev.lathe.te.Te} holds the DSL
 * (placeholders, {@code compute}, reduce axes, reducers, intrinsics); {@link dev.lathe.te.Tensor}
 * and the operations are the declared graph; {@link dev.lathe.te.ComputeDag} orders it, prints
 * it and gives it a workload key.
 */
package dev.lathe.te;
