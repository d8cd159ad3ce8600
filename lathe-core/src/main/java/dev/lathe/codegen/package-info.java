/**
 * C code generation from the loop IR: readable C with exact integer division semantics,
 * GCC vector types for vectorized loops and OpenMP for parallel ones.
 */
package dev.lathe.codegen;
