/**
 * Compiling, tuning and running whole networks: graph passes, fusion, task extraction, one kernel
 * per fused group (from tuning records or the static mode), an executor with a memory plan, and
 * export to a directory that loads back without a compiler or the auto-scheduler.
 */
package dev.lathe.graph.compile;
