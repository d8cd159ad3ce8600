/**
 * ONNX import: reads a model file (protobuf {@code ModelProto}) into a {@link dev.lathe.graph.Graph},
 * converting initializers and attributes and typing every value by shape inference; also reads
 * serialized {@code TensorProto} files (the test data of ONNX test cases) into NDArrays.
 */
package dev.lathe.onnx;
