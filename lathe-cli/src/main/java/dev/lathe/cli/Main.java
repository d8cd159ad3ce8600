package dev.lathe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code lathe} command. */
@Command(name = "lathe", mixinStandardHelpOptions = true, version = "lathe 0.1.0",
        description = "Lathe: a tensor compiler with an auto-scheduler for the JVM.",
        subcommands = {DemoCommand.class, TuneCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
