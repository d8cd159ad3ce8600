package dev.lathe.records;

/** A records line that cannot be read; {@link #reason()} says why. */
public class RecordFormatException extends IllegalArgumentException {
    private final SkipReason reason;

    public RecordFormatException(SkipReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RecordFormatException(SkipReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public SkipReason reason() {
        return reason;
    }
}
