/**
 * Measuring candidates: a {@link dev.lathe.measure.SearchTask} (a DAG, a target, threads and
 * the real arrays of data-dependent inputs), builders that compile many candidates in
 * parallel, and runners that time them in a separate worker process so that a candidate that
 * crashes, hangs or corrupts memory costs one failed result, never the tuning run.
 */
package dev.lathe.measure;
