/**
 * The graph IR for whole models: a dataflow graph of operators (ONNX operator vocabulary) over
 * typed values, with constant initializers. Values carry tensor types whose dimensions are literal
 * or symbolic; the graph is immutable, validated on construction and printed in a stable text form.
 * {@link dev.lathe.graph.OpTable} gives each operator its compute declaration, which also infers
 * types, and {@link dev.lathe.graph.GraphExecutor} compiles a graph into kernels and runs it.
 */
package dev.lathe.graph;
