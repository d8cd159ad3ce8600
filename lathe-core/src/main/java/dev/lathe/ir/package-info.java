/**
 * The scalar expression language shared by tensor expressions ({@code te}) and the loop IR
 * ({@code tir}): data types, variables, arithmetic, comparisons, intrinsics, casts, selects,
 * reductions and tensor reads. Nodes are records under the sealed {@link dev.lathe.ir.Expr};
 * constructors validate types strictly, while the builder methods on {@code Expr} apply the
 * few implicit promotions a user expects (literals adopt the other operand's type, narrower
 * integers widen).
 */
package dev.lathe.ir;
