/**
 * The reference evaluator: a direct interpreter of tensor-expression semantics on NDArrays,
 * sharing no code with lowering or code generation. It is the oracle every compiled kernel is
 * checked against.
 */
package dev.lathe.reference;
