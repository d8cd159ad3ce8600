package dev.lathe.ir;

/** Whether an iterator spans the output's space or is reduced over. */
public enum IterKind {
    SPACE, REDUCE
}
