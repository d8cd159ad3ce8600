/**
 * The auto-scheduler's learned cost model: it scores candidate programs from their per-store
 * features so that the evolutionary search measures only the most promising ones.
 *
 * <p>A candidate is a {@code float[][]}: one row per buffer store of its lowered loop nest, the
 * same columns for every row. {@link dev.lathe.autoschedule.model.CostModel} is the interface;
 * {@link dev.lathe.autoschedule.model.XgbCostModel} is gradient-boosted trees (XGBoost4J) with
 * the pack-sum objective, {@link dev.lathe.autoschedule.model.RandomCostModel} a seeded random
 * baseline. See {@code docs/autoschedule-cost-model.md}.
 */
package dev.lathe.autoschedule.model;
