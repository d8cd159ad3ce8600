package dev.lathe.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.measure.ErrorKind;
import dev.lathe.measure.MeasureInput;
import dev.lathe.measure.MeasureResult;
import dev.lathe.measure.Target;
import dev.lathe.schedule.State;
import dev.lathe.schedule.Step;
import dev.lathe.schedule.StepJson;
import dev.lathe.te.ComputeDag;

import java.util.List;
import java.util.Objects;

/**
 * One measured candidate, as stored in a records file: one JSON line.
 *
 * <pre>{@code
 * {"v":1,"workload":"3f2a…","target":{"name":"x86_64-avx512","features":["avx2","avx512f"],"cores":16,
 *  "vector_bytes":64,"l1":49152,"l2":1048576,"l3":33554432},
 *  "steps":[{"t":"split","stage":2,"iter":0,"factors":[32]}],"config":{"tile_i":32},
 *  "costs":[1.2e-4,1.19e-4],"error":"NONE","message":"","build_s":0.41,"run_s":0.02,"time":1767225600000}
 * }</pre>
 *
 * <p>{@code steps} are the schedule's steps in {@link StepJson}'s form; {@code config} is the
 * template configuration the schedule came from ({@code ""} here, and absent from the line, for
 * search and hand schedules). A record never carries code: steps address stages and iterators by
 * index, and every name in the target and the config must be a plain identifier (see
 * {@link RecordFormat#NAME}); a record that breaks this cannot be constructed, written or read.
 *
 * @param version         the format version, {@link RecordFormat#VERSION}
 * @param workloadKey     {@link ComputeDag#workloadKey()} of the DAG that was scheduled
 * @param config          the template configuration as canonical compact JSON (keys sorted), or {@code ""}
 * @param costs           seconds of each repeat; empty when the candidate failed
 * @param timestampMillis when the measurement finished (epoch milliseconds)
 */
public record MeasureRecord(int version, String workloadKey, Target target, List<Step> steps, String config,
                            List<Double> costs, ErrorKind error, String message, double buildSeconds,
                            double runSeconds, long timestampMillis) {
    public MeasureRecord {
        if (version != RecordFormat.VERSION) {
            throw new IllegalArgumentException("unsupported record format version " + version + "; this Lathe "
                    + "reads and writes version " + RecordFormat.VERSION);
        }
        RecordFormat.checkWorkloadKey(workloadKey);
        Objects.requireNonNull(target, "target");
        RecordFormat.checkTarget(target);
        steps = List.copyOf(steps);
        config = RecordFormat.canonicalConfig(config);
        costs = List.copyOf(costs);
        for (double c : costs) {
            if (!Double.isFinite(c) || c < 0) {
                throw new IllegalArgumentException("costs must be finite non-negative seconds, got " + c);
            }
        }
        Objects.requireNonNull(error, "error");
        message = RecordFormat.clip(message == null ? "" : message);
        if (!Double.isFinite(buildSeconds) || !Double.isFinite(runSeconds)) {
            throw new IllegalArgumentException("build and run seconds must be finite");
        }
        // Refuse steps that the reader would refuse (a pragma key or scope outside the vocabulary).
        StepJson.toJson(steps);
    }

    /** The record of one measurement. */
    public static MeasureRecord of(MeasureInput input, MeasureResult result) {
        return new MeasureRecord(RecordFormat.VERSION, input.task().workloadKey(), input.task().target(),
                input.state().steps(), input.config(), result.costs(), result.error(), result.message(),
                result.buildSeconds(), result.runSeconds(), result.timestampMillis());
    }

    /** The measurement as a result. */
    public MeasureResult result() {
        return new MeasureResult(costs, error, message, buildSeconds, runSeconds, timestampMillis);
    }

    public boolean ok() {
        return error == ErrorKind.NONE && !costs.isEmpty();
    }

    /** Mean seconds over the repeats, or +∞ for a failed candidate. */
    public double meanCost() {
        return result().meanCost();
    }

    /**
     * The schedule: the recorded steps replayed onto {@code dag}'s default schedule. The DAG must be
     * the workload the record was made for (same workload key), else a
     * {@link dev.lathe.schedule.ScheduleException} is thrown; so is one for a step that does not fit.
     */
    public State toState(ComputeDag dag) {
        return StepJson.replay(dag, workloadKey, steps);
    }

    /**
     * What identifies the candidate: workload, target, steps and config (not the outcome). A
     * candidate measured on one target is still to be measured on another.
     */
    public String candidateKey() {
        return candidateKey(workloadKey, target, steps, config);
    }

    /** The candidate key of a measure input, equal to that of its record. */
    public static String candidateKey(MeasureInput input) {
        return candidateKey(input.task().workloadKey(), input.task().target(), input.state().steps(), input.config());
    }

    static String candidateKey(String workloadKey, Target target, List<Step> steps, String config) {
        return workloadKey + " " + RecordFormat.targetToJson(target) + " " + StepJson.write(steps) + " "
                + RecordFormat.canonicalConfig(config);
    }

    /** The record as one line of JSON (no line break). */
    public String toJson() {
        return toJsonNode().toString();
    }

    ObjectNode toJsonNode() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("v", version);
        o.put("workload", workloadKey);
        o.set("target", RecordFormat.targetToJson(target));
        o.set("steps", StepJson.toJson(steps));
        if (!config.isEmpty()) {
            o.set("config", RecordFormat.parseConfig(config));
        }
        ArrayNode c = o.putArray("costs");
        costs.forEach(c::add);
        o.put("error", error.name());
        o.put("message", message);
        o.put("build_s", buildSeconds);
        o.put("run_s", runSeconds);
        o.put("time", timestampMillis);
        return o;
    }

    /**
     * Parses one records line. Throws {@link RecordFormatException} (with the reason) for anything
     * that is not a well-formed, safe record of this format version.
     */
    public static MeasureRecord fromJson(String line) {
        return RecordFormat.parse(line);
    }

    static MeasureRecord fromJsonNode(JsonNode node) {
        return RecordFormat.fromNode(node);
    }
}
