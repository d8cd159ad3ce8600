/**
 * Running kernels: {@link dev.lathe.runtime.NDArray} (native, aligned tensors), the system C
 * compiler with its cache, loading shared libraries through FFM, and
 * {@link dev.lathe.runtime.Module}, a compiled kernel that checks its arguments, can be exported
 * to disk and loaded back without a compiler.
 */
package dev.lathe.runtime;
