/**
 * Whole networks written as ONNX models from code: ResNet-18 (N2) and a transformer encoder block
 * (N3), with random weights from a fixed seed, so that tests and benchmarks compare Lathe with
 * other runtimes on the same file without downloading anything.
 */
package dev.lathe.onnx.models;
