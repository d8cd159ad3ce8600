package dev.lathe.records;

/** Why a line of a records file was skipped. */
public enum SkipReason {
    /** Not JSON, or not UTF-8: garbage. */
    CORRUPT,
    /** JSON cut off before its end: the writer was killed mid-line. */
    TRUNCATED,
    /** Longer than {@link RecordFormat#MAX_LINE_BYTES}. */
    TOO_LONG,
    /** A record of another format version. */
    UNSUPPORTED_VERSION,
    /** JSON, but not a record: a missing, ill-typed or unknown field, or steps that cannot be read. */
    INVALID,
    /** A name (in the steps, the target or the config) that is not a plain identifier, e.g. one carrying C syntax. */
    UNSAFE_NAME
}
