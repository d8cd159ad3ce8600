package dev.lathe.build;

import dev.lathe.codegen.CodegenC;
import dev.lathe.lower.BoundVarCheck;
import dev.lathe.lower.ScheduleLowering;
import dev.lathe.schedule.State;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.PrimFunc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compiles ComputeDags into callable modules. */
public final class Build {
    private static final CCompiler SYSTEM = CCompiler.system();

    private Build() {
    }

    /** Compiles the DAG under the default schedule with the system C compiler. */
    public static Module build(ComputeDag dag) {
        return build(dag, "kernel", SYSTEM);
    }

    public static Module build(ComputeDag dag, String name) {
        return build(dag, name, SYSTEM);
    }

    public static Module build(ComputeDag dag, String name, CCompiler cc) {
        return build(State.initial(dag), name, cc);
    }

    /** Compiles a scheduled DAG. */
    public static Module build(State schedule, String name) {
        return build(schedule, name, SYSTEM);
    }

    public static Module build(State schedule, String name, CCompiler cc) {
        return compile(lower(schedule, name), schedule.dag(), cc);
    }

    /** The loop nest of a scheduled DAG, checked. */
    public static PrimFunc lower(State schedule, String name) {
        PrimFunc f = RecentLowerings.current().lower(schedule, s -> {
            PrimFunc lowered = ScheduleLowering.lower(s, name);
            BoundVarCheck.check(lowered);
            return lowered;
        });
        return f.name().equals(name) ? f : new PrimFunc(name, f.params(), f.sizeVars(), f.body());
    }

    /** The loop nest of the DAG under the default schedule, checked. */
    public static PrimFunc lower(ComputeDag dag, String name) {
        return lower(State.initial(dag), name);
    }

    /** Generates C for a lowered kernel, compiles and loads it. */
    public static Module compile(PrimFunc f, ComputeDag dag, CCompiler cc) {
        CodegenC.Source src = CodegenC.generate(f);
        Path lib = cc.compile(src.text());
        List<Module.Param> params = new ArrayList<>();
        for (Tensor t : f.params()) {
            params.add(new Module.Param(t.name(), t.dtype(), t.shape(), dag.outputs().contains(t)));
        }
        return new Module(f.name(), src.entry(), params, f.sizeVars(), src.text(), src.checkedSites(), lib);
    }
}
