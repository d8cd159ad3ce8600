package dev.lathe.schedule;

/** A schedule primitive applied where it is invalid; the message names the stage, the iterator and the rule. */
public class ScheduleException extends IllegalArgumentException {
    public ScheduleException(String message) {
        super(message);
    }
}
