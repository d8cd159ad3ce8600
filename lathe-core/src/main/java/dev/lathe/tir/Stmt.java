package dev.lathe.tir;

/** A statement of the loop IR. */
public sealed interface Stmt permits For, Store, Allocate, Seq, IfThenElse, LetStmt {
}
