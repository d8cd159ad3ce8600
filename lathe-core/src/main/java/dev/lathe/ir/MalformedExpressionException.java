package dev.lathe.ir;

/** An expression that breaks a typing or structural rule of the IR. */
public class MalformedExpressionException extends IllegalArgumentException {
    public MalformedExpressionException(String message) {
        super(message);
    }
}
