package dev.lathe.lower;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.schedule.ComputeLocation;
import dev.lathe.schedule.Stage;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Substitutes the bodies of inlined stages into the stages that read them, transitively. */
final class Inliner {
    private final Map<Operation, ComputeOp> inlined = new HashMap<>();
    private final Map<Operation, Expr> inlinedBody = new HashMap<>();

    Inliner(State state) {
        for (Stage st : state.stages()) {
            if (st.location() instanceof ComputeLocation.Inlined && st.op() instanceof ComputeOp c) {
                inlined.put(c, c);
                inlinedBody.put(c, apply(c.body(0)));
            }
        }
    }

    /** The stage's bodies with every read of an inlined stage replaced by that stage's body. */
    List<Expr> bodies(ComputeOp op) {
        List<Expr> out = new ArrayList<>();
        for (Expr b : op.bodies()) {
            out.add(apply(b));
        }
        return out;
    }

    private Expr apply(Expr e) {
        if (inlinedBody.isEmpty()) {
            return e;
        }
        return Exprs.rewrite(e, n -> {
            if (n instanceof TensorRead r && inlined.containsKey(r.tensor().op())) {
                ComputeOp producer = inlined.get(r.tensor().op());
                Map<Var, Expr> at = new HashMap<>();
                List<IterVar> axes = producer.axes();
                for (int d = 0; d < axes.size(); d++) {
                    at.put(axes.get(d).var(), r.indices().get(d));
                }
                return Exprs.substitute(inlinedBody.get(producer), at);
            }
            return n;
        });
    }
}
