/**
 * Graph-to-graph rewrites run before compilation: constant folding, folding inference-mode
 * BatchNormalization into the convolution that feeds it, and the NHWC layout conversion of
 * convolution chains and their pools. Each pass takes and returns an
 * immutable {@link dev.lathe.graph.Graph}, typed again after the rewrite.
 */
package dev.lathe.graph.pass;
