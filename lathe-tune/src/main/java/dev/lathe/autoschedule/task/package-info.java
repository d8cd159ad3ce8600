/**
 * The task scheduler: many search tasks, each with a weight (how often its workload appears in
 * the network), share one trial budget. {@link dev.lathe.autoschedule.task.TaskTuner} is one
 * tunable task (the search plugs in there); {@link dev.lathe.autoschedule.task.TaskScheduler}
 * gives every task a warm-up round and then hands each round of trials to the task with the
 * largest expected decrease of the weighted total latency Σ wᵢ·latencyᵢ (Ansor's gradient
 * scheduler), or round-robin. See {@code docs/autoschedule-task-scheduler.md}.
 */
package dev.lathe.autoschedule.task;
