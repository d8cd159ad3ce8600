/**
 * The loop IR: statements (loops, stores, allocations, conditionals, lets) over the scalar
 * expressions of {@code ir}, the form a scheduled computation is lowered to before C is
 * generated. Tensors are read with multi-dimensional indices; the layout of each tensor's
 * storage (argument or allocation) is flattened row-major by the code generator.
 */
package dev.lathe.tir;
