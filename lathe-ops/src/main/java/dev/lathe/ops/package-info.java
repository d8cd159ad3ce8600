/**
 * Compute declarations of common tensor operators, in the spirit of TVM's TOPI: matrix products
 * ({@link dev.lathe.ops.Linalg}), convolutions and padding ({@link dev.lathe.ops.Conv}), pooling
 * ({@link dev.lathe.ops.Pool}), element-wise maps with NumPy broadcasting
 * ({@link dev.lathe.ops.Elementwise}), activations ({@link dev.lathe.ops.Activation}),
 * normalizations ({@link dev.lathe.ops.Norm}), reductions ({@link dev.lathe.ops.Reduction}),
 * shape transformations ({@link dev.lathe.ops.Transform}), slicing, joining and gathering
 * ({@link dev.lathe.ops.Slicing}) and transposed convolutions ({@link dev.lathe.ops.ConvTranspose}).
 * Together they cover the operator semantics of common model-exchange graphs (see docs/ops.md). Every function only declares <em>what</em> is
 * computed, as placeholders, computes and reductions; none chooses a schedule. Shapes may be
 * symbolic; checks that can be decided from literal dimensions are made eagerly and fail with an
 * {@link java.lang.IllegalArgumentException} that names the offending argument. All tensors are
 * dense and row-major in the layout their function names (NCHW, NHWC, ...).
 */
package dev.lathe.ops;
