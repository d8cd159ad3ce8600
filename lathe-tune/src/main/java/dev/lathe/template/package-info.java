/**
 * Template tuning, as AutoTVM users write it: a template declares knobs and builds a schedule
 * from a configuration; tuners (random, grid, genetic, model-based) explore the configuration
 * space with real measurements.
 */
package dev.lathe.template;
