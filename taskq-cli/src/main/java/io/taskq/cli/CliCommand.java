package io.taskq.cli;

import io.taskq.Taskq;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every command class shares: its place in the command tree, and through the root ({@link TaskqCli}) the
 * output and the connection. A command group (dead, schedule) is one class whose subcommands are its methods;
 * called without a subcommand it is a usage error.
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** A group's own call: a subcommand is missing. Leaf commands override it. */
    @Override
    public Integer call() throws Exception {
        throw new ParameterException(spec.commandLine(), "Missing subcommand of '" + spec.qualifiedName() + "'");
    }

    TaskqCli root() {
        return (TaskqCli) spec.root().userObject();
    }

    Output out() {
        return root().output();
    }

    Taskq taskq() {
        return root().session().taskq();
    }
}
