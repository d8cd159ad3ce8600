package dev.lathe.graph.task;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tasks of a network, in order of first occurrence; prints as a table. */
public record TaskTable(List<NetworkTask> tasks) {
    public TaskTable {
        tasks = List.copyOf(tasks);
    }

    /** The tasks the task scheduler tunes. */
    public List<NetworkTask> tunable() {
        return tasks.stream().filter(NetworkTask::tuned).toList();
    }

    public Optional<NetworkTask> byKey(String workloadKey) {
        return tasks.stream().filter(t -> t.workloadKey().equals(workloadKey)).findFirst();
    }

    /** One job per tunable task, weighted by its occurrences, for {@link AutoScheduler#tune(List, int, java.nio.file.Path)}. */
    public List<AutoScheduler.Job> jobs(Target target, int threads) {
        return tunable().stream()
                .map(t -> new AutoScheduler.Job(t.name(), new SearchTask(t.dag(), target, threads, Map.of()), t.weight(),
                        t.flops()))
                .toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%-4s %-28s %-30s %6s %12s %-8s %s%n",
                "#", "ops", "shape", "weight", "flops", "status", "key"));
        for (int i = 0; i < tasks.size(); i++) {
            NetworkTask t = tasks.get(i);
            String flops = t.flops() == 0 ? "0" : String.format("%.4g", t.flops());
            sb.append(String.format("%-4d %-28s %-30s %6d %12s %-8s %s%n", i, clip(t.opKinds(), 28),
                    clip(t.shape(), 30), t.weight(), flops, t.status().name().toLowerCase(java.util.Locale.ROOT),
                    t.workloadKey().substring(0, 12)));
        }
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
