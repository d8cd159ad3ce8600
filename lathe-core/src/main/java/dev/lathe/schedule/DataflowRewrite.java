package dev.lathe.schedule;

/** Steps that change the dataflow (cache_read, cache_write, rfactor): they add stages and rewrite readers. */
final class DataflowRewrite {
    private DataflowRewrite() {
    }

    static State cacheRead(State s, Step.CacheRead c) {
        throw new ScheduleException("cache_read is not implemented yet");
    }

    static State cacheWrite(State s, Step.CacheWrite c) {
        throw new ScheduleException("cache_write is not implemented yet");
    }

    static State rfactor(State s, Step.Rfactor r) {
        throw new ScheduleException("rfactor is not implemented yet");
    }
}
