/**
 * Lowering: from a ComputeDag and its schedule to a loop nest ({@code tir}) — iterator ranges,
 * loops for every stage, reduction initialisation and update, storage for intermediates — and
 * the passes run on the result.
 */
package dev.lathe.lower;
