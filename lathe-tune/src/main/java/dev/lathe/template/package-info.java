/**
 * Template tuning, as AutoTVM users write it: a {@link dev.lathe.template.Template} declares knobs
 * on {@link dev.lathe.template.Knobs} (splits, choices, reorders, annotations) and builds a
 * schedule from their values; its {@link dev.lathe.template.ConfigSpace} indexes every
 * {@link dev.lathe.template.Config} (strict JSON); tuners ({@link dev.lathe.template.RandomTuner},
 * {@link dev.lathe.template.GridTuner}, {@link dev.lathe.template.GaTuner},
 * {@link dev.lathe.template.ModelTuner}) explore the space with real measurements;
 * {@link dev.lathe.template.Trial#pickBest} picks the best and
 * {@link dev.lathe.template.AppliedConfig} replays a config. See {@code docs/templates.md}.
 */
package dev.lathe.template;
