/** The {@code lathe} command: the demo, benchmarks, and (later) tuning from the shell. */
package dev.lathe.cli;
