package dev.lathe.onnx;

/** An ONNX file Lathe cannot read: not a model, an opset too old, external data, an element type it lacks. */
public final class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
