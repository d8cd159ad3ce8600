package dev.lathe.ir;

/** Unary operators: arithmetic negation and logical not. */
public enum UnaryOp {
    NEG, NOT
}
