/**
 * Operator fusion: the nodes of a graph partitioned into fused groups, each lowered to one
 * {@link dev.lathe.te.ComputeDag} and compiled to one kernel. A group is an anchor operator
 * (convolution, matrix product, pooling, reduction, normalization) with the element-wise and
 * injective operators after it, or a chain of element-wise and injective operators.
 */
package dev.lathe.graph.fusion;
