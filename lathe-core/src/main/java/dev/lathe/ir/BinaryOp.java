package dev.lathe.ir;

/** Binary operators. Comparisons yield bool; {@code AND}/{@code OR} take bools. */
public enum BinaryOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"),
    FLOORDIV("floordiv"), FLOORMOD("floormod"), TRUNCDIV("truncdiv"), TRUNCMOD("truncmod"),
    MIN("min"), MAX("max"),
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    AND("&&"), OR("||");

    private final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** True for operators printed infix ({@code a + b}); the others print as calls ({@code min(a, b)}). */
    public boolean infix() {
        return !Character.isLetter(symbol.charAt(0));
    }

    public boolean isComparison() {
        return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    public boolean isLogical() {
        return this == AND || this == OR;
    }

    public boolean isIntegerDivision() {
        return this == FLOORDIV || this == FLOORMOD || this == TRUNCDIV || this == TRUNCMOD;
    }
}
