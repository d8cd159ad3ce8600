package dev.lathe.tir;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Printer;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Indented text of loop IR, for reading and for tests. */
public final class TirPrinter {
    private TirPrinter() {
    }

    public static String print(PrimFunc f) {
        StringBuilder sb = new StringBuilder();
        sb.append("func ").append(f.name()).append('(')
                .append(f.params().stream().map(t -> t.name() + ": " + t.dtype() + t.shape()).collect(Collectors.joining(", ")));
        if (!f.sizeVars().isEmpty()) {
            sb.append("; ").append(f.sizeVars().stream().map(v -> v.name()).collect(Collectors.joining(", ")));
        }
        sb.append(")\n");
        stmt(f.body(), 1, sb);
        return sb.toString();
    }

    public static String print(Stmt s) {
        StringBuilder sb = new StringBuilder();
        stmt(s, 0, sb);
        return sb.toString();
    }

    private static void stmt(Stmt s, int depth, StringBuilder sb) {
        String pad = "  ".repeat(depth);
        switch (s) {
            case For f -> {
                sb.append(pad).append("for ").append(f.var()).append(" in [").append(f.min()).append(", ")
                        .append(Printer.expr(f.min().add(f.extent()))).append(')');
                if (f.kind() != ForKind.SERIAL) {
                    sb.append(" ").append(f.kind().name().toLowerCase(Locale.ROOT));
                }
                sb.append(":\n");
                stmt(f.body(), depth + 1, sb);
            }
            case Store st -> sb.append(pad).append(st.tensor().name()).append('[').append(list(st.indices()))
                    .append("] = ").append(st.value()).append('\n');
            case Allocate a -> {
                sb.append(pad).append("allocate ").append(a.tensor().name()).append(": ").append(a.tensor().dtype())
                        .append('[').append(list(a.extents())).append("]\n");
                stmt(a.body(), depth, sb);
            }
            case Seq q -> q.stmts().forEach(x -> stmt(x, depth, sb));
            case IfThenElse i -> {
                sb.append(pad).append("if ").append(i.cond()).append(":\n");
                stmt(i.then(), depth + 1, sb);
                i.otherwise().ifPresent(o -> {
                    sb.append(pad).append("else:\n");
                    stmt(o, depth + 1, sb);
                });
            }
            case LetStmt l -> {
                sb.append(pad).append("let ").append(l.var()).append(" = ").append(l.value()).append('\n');
                stmt(l.body(), depth, sb);
            }
        }
    }

    private static String list(List<Expr> es) {
        return es.stream().map(Expr::toString).collect(Collectors.joining(", "));
    }
}
