package dev.lathe.build;

import dev.lathe.schedule.State;
import dev.lathe.tir.PrimFunc;

import java.util.function.Function;

/**
 * The last few schedules this thread lowered, by identity, with their loop nests. A search checks
 * that a program generates code and then lowers the very same {@link State} again for its
 * features; a state is immutable and lowers to the same loop nest every time, so the second
 * lowering can be the first one's result. Failures are not remembered (they fail again).
 */
final class RecentLowerings {
    private static final int SIZE = 4;
    private static final ThreadLocal<RecentLowerings> PER_THREAD = ThreadLocal.withInitial(RecentLowerings::new);

    private final State[] states = new State[SIZE];
    private final PrimFunc[] funcs = new PrimFunc[SIZE];
    private int next;

    static RecentLowerings current() {
        return PER_THREAD.get();
    }

    PrimFunc lower(State s, Function<State, PrimFunc> lowering) {
        for (int i = 0; i < SIZE; i++) {
            if (states[i] == s) {
                return funcs[i];
            }
        }
        PrimFunc f = lowering.apply(s);
        states[next] = s;
        funcs[next] = f;
        next = (next + 1) % SIZE;
        return f;
    }
}
