package dev.lathe.codegen;

import dev.lathe.build.Build;
import dev.lathe.build.Build;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.CCompiler;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.PrimFunc;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: loop nests with hand-chosen loop kinds, compiled and checked against the reference evaluator. */
final class Kernels {
    private Kernels() {
    }

    /** The DAG under the default schedule with the loops over {@code loopVar} (by name) of the given kind. */
    static PrimFunc lower(ComputeDag dag, String name, String loopVar, ForKind kind) {
        PrimFunc f = Build.lower(dag, name);
        Stmt body = withKind(f.body(), loopVar, kind);
        assertTrue(!body.equals(f.body()), "no loop over " + loopVar + " in\n" + f);
        return new PrimFunc(f.name(), f.params(), f.sizeVars(), body);
    }

    static Stmt withKind(Stmt s, String loopVar, ForKind kind) {
        return switch (s) {
            case For f -> new For(f.var(), f.min(), f.extent(), f.var().name().equals(loopVar) ? kind : f.kind(),
                    withKind(f.body(), loopVar, kind));
            case Seq q -> new Seq(q.stmts().stream().map(x -> withKind(x, loopVar, kind)).toList());
            case Allocate a -> new Allocate(a.tensor(), a.extents(), withKind(a.body(), loopVar, kind));
            case IfThenElse i -> new IfThenElse(i.cond(), withKind(i.then(), loopVar, kind),
                    i.otherwise().map(o -> withKind(o, loopVar, kind)));
            case LetStmt l -> new LetStmt(l.var(), l.value(), withKind(l.body(), loopVar, kind));
            case Store st -> st;
        };
    }

    /** Random inputs for every placeholder of the DAG. */
    static Map<Tensor, NDArray> randomInputs(ComputeDag dag, long seed) {
        Random rng = new Random(seed);
        Map<Tensor, NDArray> in = new LinkedHashMap<>();
        for (var p : dag.placeholders()) {
            Tensor t = p.output(0);
            long[] shape = t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
            in.put(t, NDArray.random(t.dtype(), rng, shape));
        }
        return in;
    }

    /** Compiles {@code f}, runs it on {@code inputs}, and checks every output against the reference evaluator. */
    static Module checkAgainstReference(PrimFunc f, ComputeDag dag, Map<Tensor, NDArray> inputs, double relTol) {
        Module m = Build.compile(f, dag, CCompiler.system());
        run(m, f, dag, inputs, relTol);
        return m;
    }

    static void run(Module m, PrimFunc f, ComputeDag dag, Map<Tensor, NDArray> inputs, double relTol) {
        Map<Tensor, NDArray> expected = ReferenceEvaluator.evaluate(dag, inputs);
        List<NDArray> args = new ArrayList<>();
        for (Tensor t : f.params()) {
            if (inputs.containsKey(t)) {
                args.add(inputs.get(t));
            } else {
                long[] shape = t.shape().stream().mapToLong(e -> ((dev.lathe.ir.IntImm) e).value()).toArray();
                args.add(NDArray.zeros(t.dtype(), shape));
            }
        }
        m.call(args.toArray(NDArray[]::new));
        for (Map.Entry<Tensor, NDArray> e : expected.entrySet()) {
            NDArray want = e.getValue();
            NDArray got = args.get(f.params().indexOf(e.getKey()));
            for (long i = 0; i < want.size(); i++) {
                long at = i;
                java.util.function.Supplier<String> where = () -> e.getKey().name() + " element " + at + " of kernel\n"
                        + m.source();
                if (want.dtype().isFloat()) {
                    double w = want.getDouble(i);
                    assertEquals(w, got.getDouble(i), Math.abs(w) * relTol, where);
                } else {
                    assertEquals(want.getLong(i), got.getLong(i), where);
                }
            }
        }
    }
}
