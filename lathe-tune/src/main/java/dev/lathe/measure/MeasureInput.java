package dev.lathe.measure;

import dev.lathe.schedule.State;

/**
 * One candidate: a schedule of a task's DAG. {@code config} is the template configuration it
 * came from, as JSON, when a template tuner made it (empty for search and hand schedules).
 */
public record MeasureInput(SearchTask task, State state, String config) {
    public MeasureInput {
        config = config == null ? "" : config;
    }

    public MeasureInput(SearchTask task, State state) {
        this(task, state, "");
    }
}
