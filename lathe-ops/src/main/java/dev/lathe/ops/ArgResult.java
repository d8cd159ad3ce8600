package dev.lathe.ops;

import dev.lathe.te.Tensor;

/** The two outputs of an arg-reduction: where the extreme value is along the axis, and the value itself. */
public record ArgResult(Tensor index, Tensor value) {
}
