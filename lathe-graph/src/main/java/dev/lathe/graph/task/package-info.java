/**
 * Task extraction: each fused group of a network becomes a search task, identical workloads
 * merged with a weight (how often they occur), each marked to be tuned, left to the static mode
 * as trivial, or left to the static mode because its shapes are symbolic.
 */
package dev.lathe.graph.task;
