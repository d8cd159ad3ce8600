/**
 * Graph-to-graph rewrites run before compilation: constant folding, and folding inference-mode
 * BatchNormalization into the convolution that feeds it. Each pass takes and returns an
 * immutable {@link dev.lathe.graph.Graph}, typed again after the rewrite.
 */
package dev.lathe.graph.pass;
