package io.taskq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code taskq} command: Celery's {@code celery inspect}, {@code purge} and {@code events} for a taskq
 * environment, through taskq's public API (see docs/cli.md). It connects as the environment's applications do, from
 * {@code TASKQ_REDIS_URL}, {@code TASKQ_KEY_PREFIX} and the ACL user's credentials, and never prints the password.
 *
 * <p>The command tree: {@code workers}, {@code queues}, {@code task}, {@code revoke}, {@code tasks}, {@code dead}
 * ({@code list}, {@code resubmit}, {@code delete}, {@code purge}), {@code purge}, {@code inspect} ({@code ping},
 * {@code active}, {@code reserved}, {@code registered}, {@code stats}), {@code control} ({@code pause},
 * {@code resume}, {@code concurrency}, {@code shutdown}), {@code schedule} ({@code list}, {@code show}, {@code add},
 * {@code edit}, {@code enable}, {@code disable}, {@code delete}, {@code run}, {@code audit}), {@code limits}
 * ({@code list}, {@code rate}, {@code concurrency}, {@code clear}), {@code events},
 * {@code generate-completion} and {@code help}; one class per command or command group, each listed in the
 * {@code subcommands} of this class.
 */
@Command(name = "taskq", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = TaskqCli.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Looks at and steers a taskq environment: its workers, queues, tasks, dead letters,"
                + " schedule, limits and event stream.",
        subcommands = {WorkersCommand.class, QueuesCommand.class, TaskCommand.class, RevokeCommand.class,
                TasksCommand.class, DeadCommand.class, PurgeCommand.class, InspectCommand.class,
                ControlCommand.class, ScheduleCommand.class, LimitsCommand.class, EventsCommand.class,
                AutoComplete.GenerateCompletion.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:failed (Redis unreachable, credentials refused, an error of the API, not confirmed, a worker"
                        + " replied to control with an error or did not reply)",
                "2:wrong command line, or a destructive command without --yes and no terminal to ask",
                "3:the task, dead letter, schedule entry or run-time limit does not exist"})
public final class TaskqCli implements Runnable {
    private static final String[] ENVIRONMENT = {
        "  TASKQ_REDIS_URL       redis://[user:password@]host:port/db, rediss://...",
        "  TASKQ_REDIS_CLUSTER   Redis Cluster seeds, comma-separated (instead)",
        "  TASKQ_KEY_PREFIX      the environment's key prefix (default taskq)",
        "  TASKQ_REDIS_USERNAME  the ACL user (overrides the URL's)",
        "  TASKQ_REDIS_PASSWORD  its password (overrides the URL's; never printed)",
        "  TASKQ_REDIS_SSL, TASKQ_REDIS_TRUST_STORE[_PASSWORD]  TLS",
        "The launcher reads an application's env file (systemd's EnvironmentFile):",
        "  taskq --env-file /etc/taskq/live.env workers",
        "See docs/cli.md."};

    @Mixin
    GlobalOptions options;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Output.Prompt prompt;
    private Session session;
    private Output output;

    private TaskqCli(Map<String, String> env, Output.Prompt prompt) {
        this.env = env;
        this.prompt = prompt;
    }

    /** Runs the command line and exits with its exit code (0 done, 1 failed, 2 usage, 3 not found). */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err, System.getenv(), TaskqCli::askTerminal));
    }

    /** Runs one command line with these streams and environment; returns the exit code. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
                       Output.Prompt prompt) {
        CommandLine cmd = commandLine(env, prompt);
        TaskqCli cli = cmd.getCommand();
        cmd.setOut(out);
        cmd.setErr(err);
        try {
            return cmd.execute(args);
        } finally {
            cli.closeSession(err);
        }
    }

    /** The command tree, configured: case-insensitive enum values, exit codes, error messages without secrets. */
    static CommandLine commandLine(Map<String, String> env, Output.Prompt prompt) {
        TaskqCli cli = new TaskqCli(env, prompt);
        CommandLine cmd = new CommandLine(cli);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExitCodeExceptionMapper(TaskqCli::exitCode);
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("taskq: " + cli.redact(message(e)));
            line.getErr().flush();
            return exitCode(e);
        });
        // Only the top command's help lists the environment (an inherited footer would repeat it everywhere).
        cmd.getCommandSpec().usageMessage().footerHeading("%nEnvironment:%n").footer(ENVIRONMENT);
        // picocli hides it by default; here it is one of the documented commands.
        cmd.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cmd;
    }

    /** {@code taskq} without a command: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command");
    }

    /** The output, made once the options are parsed. */
    synchronized Output output() {
        if (output == null) {
            output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), options.json, prompt);
        }
        return output;
    }

    /** The connection, made on first use (help, version and completion never connect). */
    synchronized Session session() {
        if (session == null) {
            session = new Session(ConnectionSettings.resolve(options, env));
        }
        return session;
    }

    private synchronized void closeSession(PrintWriter err) {
        if (session != null) {
            try {
                session.close();
            } catch (RuntimeException e) {
                err.println("taskq: while disconnecting: " + redact(message(e)));
            }
            session = null;
        }
    }

    /** The text without the passwords of the environment or the options. */
    String redact(String text) {
        try {
            return (session != null ? session.settings() : ConnectionSettings.resolve(options, env)).redact(text);
        } catch (RuntimeException e) {
            return ConnectionSettings.resolve(new GlobalOptions(), env).redact(text);
        }
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliFailure f) {
            return f.exitCode();
        }
        if (e instanceof NoSuchElementException) {
            return ExitCode.NOT_FOUND;
        }
        if (e instanceof ParameterException || e instanceof IllegalArgumentException) {
            return ExitCode.USAGE;
        }
        return ExitCode.ERROR;
    }

    /** One line that says what went wrong: the message, with the class only when there is no message. */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName() + (e.getCause() != null ? ": " + message(e.getCause()) : "");
        }
        return m;
    }

    private static Optional<String> askTerminal(String question) {
        java.io.Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        String answer = console.readLine("%s", question);
        return Optional.of(answer == null ? "" : answer);
    }

    /** {@code --version}: the CLI's taskq version, from the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = TaskqCli.class.getResourceAsStream("taskq-cli.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"taskq " + p.getProperty("version", "unknown")
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
