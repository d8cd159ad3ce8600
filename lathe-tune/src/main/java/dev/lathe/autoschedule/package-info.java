/**
 * The auto-scheduler: sketches, random annotation, evolutionary search guided by a learned
 * cost model, the task scheduler and the static mode.
 */
package dev.lathe.autoschedule;
