package dev.lathe.cli;

import picocli.CommandLine.Command;

/** {@code lathe demo}: declares matmul and conv2d, compiles, runs, checks them against the reference evaluator. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Declare matmul and conv2d, compile them, run them, check them against the reference evaluator.")
final class DemoCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("demo");
    }
}
