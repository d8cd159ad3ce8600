/**
 * Integer arithmetic analysis for lowering: constant bounds of expressions under known ranges of
 * loop and size variables ({@link dev.lathe.arith.Bound}), and the simplifier that keeps loop
 * bounds, index expressions, guards of non-divisible splits and inferred regions small and
 * canonical ({@link dev.lathe.arith.Analyzer}, {@link dev.lathe.arith.Simplifier}). Rules are
 * grouped by node kind, one small table per file, written as {@code switch}es over record
 * patterns with guards, and applied by one bottom-up driver. They never change an expression's
 * value or dtype: integer sums are put in a canonical linear form and divisions settled by
 * bounds, while float expressions only get constant folding and the identities that are exact
 * under IEEE 754.
 */
package dev.lathe.arith;
