package dev.lathe.measure;

/** Why a candidate has no valid measurement. */
public enum ErrorKind {
    NONE,
    /** The schedule could not be applied or lowered (a step invalid for this DAG). */
    INVALID_SCHEDULE,
    COMPILE_ERROR,
    COMPILE_TIMEOUT,
    /** The kernel reported a fault (bad index, division by zero) or the worker process died (a crash). */
    RUNTIME_ERROR,
    RUN_TIMEOUT,
    /** The kernel wrote outside its output arrays. */
    MEMORY_CORRUPTION,
    /** The output differs from the reference output. */
    WRONG_ANSWER,
    /** The measurement machinery itself failed (e.g. the worker could not be started). */
    UNKNOWN
}
