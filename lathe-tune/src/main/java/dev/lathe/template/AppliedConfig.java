package dev.lathe.template;

import dev.lathe.build.Build;
import dev.lathe.codegen.CodegenC;
import dev.lathe.measure.SearchTask;
import dev.lathe.runtime.Module;
import dev.lathe.schedule.State;
import dev.lathe.tir.PrimFunc;

import java.util.List;

/**
 * A config replayed onto a task: its schedule, loop nest, lowered loop IR, C source and timing —
 * to inspect a tuned (or any) config, e.g. the best of a records file.
 */
public record AppliedConfig(SearchTask task, Config config, State state) {
    /** Parses {@code configJson} strictly against the template's space and instantiates it. */
    public static AppliedConfig of(SearchTask task, Template template, String configJson) {
        return of(task, template, template.space(task.dag()).parse(configJson));
    }

    public static AppliedConfig of(SearchTask task, Template template, Config config) {
        return new AppliedConfig(task, config, template.instantiate(task.dag(), config));
    }

    /** The fallback config of the template (what runs when nothing was tuned). */
    public static AppliedConfig fallback(SearchTask task, Template template) {
        return of(task, template, template.space(task.dag()).fallback());
    }

    /** The loop nest in Lathe's notation. */
    public String loopNest() {
        return state.toString();
    }

    public PrimFunc lowered() {
        return Build.lower(state, "kernel");
    }

    /** The generated C source. */
    public String cSource() {
        return CodegenC.generate(lowered()).text();
    }

    /** The generated C from the kernel's entry function on (without the shared prelude). */
    public String cKernel() {
        CodegenC.Source src = CodegenC.generate(lowered());
        String text = src.text();
        int at = text.indexOf(" " + src.entry() + "(");
        if (at < 0) {
            return text;
        }
        return text.substring(text.lastIndexOf('\n', at) + 1);
    }

    public Module build() {
        return Build.build(state, "kernel");
    }

    /** Mean seconds of {@code repeat} timings of {@code number} calls each, in this process. */
    public List<Double> time(int number, int repeat) {
        return KernelTimer.time(task, build(), number, repeat);
    }
}
