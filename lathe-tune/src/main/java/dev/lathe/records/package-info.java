/**
 * Tuning records: one JSON line per measured candidate, appended and flushed as results
 * arrive; reading skips corrupt lines and reports them; the best record per workload and
 * target is what "apply history best" compiles.
 */
package dev.lathe.records;
