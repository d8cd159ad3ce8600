package dev.lathe.onnx.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.runtime.NDArray;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an ONNX model with ONNX Runtime on float32 inputs: the reference the generated models are checked against. */
final class OrtReference {
    private OrtReference() {
    }

    static Map<String, NDArray> run(byte[] model, Map<String, NDArray> inputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts)) {
                Map<String, OnnxTensor> feed = new HashMap<>();
                try {
                    for (var e : inputs.entrySet()) {
                        feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().toFloatArray()),
                                e.getValue().shape()));
                    }
                    try (OrtSession.Result r = session.run(feed)) {
                        Map<String, NDArray> out = new LinkedHashMap<>();
                        for (Map.Entry<String, OnnxValue> e : r) {
                            OnnxTensor t = (OnnxTensor) e.getValue();
                            FloatBuffer fb = t.getFloatBuffer();
                            float[] v = new float[fb.remaining()];
                            fb.get(v);
                            out.put(e.getKey(), NDArray.of(v, t.getInfo().getShape()));
                        }
                        return out;
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the model: " + e.getMessage(), e);
        }
    }
}
