package org.switchboard.esl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.switchboard.esl.EslClient;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslException;
import org.switchboard.esl.EslListener;
import org.switchboard.esl.EslLogLine;
import org.switchboard.esl.EslReply;
import org.switchboard.esl.event.EslEvent;

/**
 * {@code ./switchboard fs-cli}: with {@code -x} runs API commands and prints their output (exit status 1 on
 * {@code -ERR}, 2 when the password is refused, 3 when the switch cannot be reached or does not answer in
 * time); without it, an interactive console with line editing and history where a line is an API command
 * and {@code /event}, {@code /filter}, {@code /nixevent}, {@code /noevents}, {@code /exit} act on the connection.
 */
public final class FsCli {

    static final int OK = 0;
    static final int ERR_REPLY = 1;
    static final int AUTH_FAILED = 2;
    static final int UNREACHABLE = 3;
    static final int USAGE = 64;

    private FsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String host = EslClientConfig.DEFAULT_HOST;
        int port = EslClientConfig.DEFAULT_PORT;
        String password = EslClientConfig.STOCK_PASSWORD;
        String user = null;
        long timeoutMs = EslClientConfig.DEFAULT_COMMAND_TIMEOUT.toMillis();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                out.println(String.join("\n",
                        "Usage: ./switchboard fs-cli [-H host] [-P port] [-u user@domain] [-p password] [-t ms] [-x command]...",
                        "  -H host       the switch (default 127.0.0.1)",
                        "  -P port       its event socket port (default 8021)",
                        "  -p password   its password (default ClueCon, accepted only for loopback hosts)",
                        "  -u user@dom   log in as a directory user with -p as that user's password (userauth)",
                        "  -t ms         deadline for connecting and for each command (default 10000)",
                        "  -x command    run this API command, print its output and exit (repeatable)",
                        "Without -x: an interactive console. A line is an API command; /event plain ALL, /filter <header> <value>,",
                        "/nixevent <names>, /noevents, /exit (or /quit, /bye) act on the connection."));
                return OK;
            }
            if (i + 1 >= args.length) {
                err.println("fs-cli: " + flag + " needs a value (see --help)");
                return USAGE;
            }
            String value = args[++i];
            switch (flag) {
                case "-H", "--host" -> host = value;
                case "-P", "--port" -> {
                    if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) > 65535) {
                        err.println("fs-cli: " + flag + ": '" + value + "' is not a port number (0..65535, e.g. 8021)");
                        return USAGE;
                    }
                    port = Integer.parseInt(value);
                }
                case "-p", "--password" -> password = value;
                case "-u", "--user" -> user = value;
                case "-t", "--timeout" -> {
                    if (!value.matches("[0-9]{1,9}")) {
                        err.println("fs-cli: " + flag + ": '" + value + "' is not a duration in milliseconds (e.g. 5000)");
                        return USAGE;
                    }
                    timeoutMs = Long.parseLong(value);
                }
                case "-x", "--execute" -> commands.add(value);
                default -> {
                    err.println("fs-cli: unknown flag " + flag + " (see --help)");
                    return USAGE;
                }
            }
        }
        EslClientConfig config;
        try {
            EslClientConfig.Builder b = EslClientConfig.builder().host(host).port(port).password(password)
                    .commandTimeout(Duration.ofMillis(timeoutMs)).connectTimeout(Duration.ofMillis(timeoutMs))
                    .reconnect(false);
            if (user != null) {
                int at = user.indexOf('@');
                if (at <= 0 || at == user.length() - 1) {
                    err.println("fs-cli: -u takes user@domain, got '" + user + "'");
                    return USAGE;
                }
                b.userauth(user.substring(0, at), user.substring(at + 1), password);
            }
            config = b.build();
        } catch (IllegalArgumentException e) {
            err.println("fs-cli: " + e.getMessage());
            return USAGE;
        }
        EslListener printer = new EslListener() {
            @Override
            public void onEvent(EslEvent event) {
                out.print(event.toPlain());
                out.flush();
            }

            @Override
            public void onLog(EslLogLine line) {
                out.print(line.text());
                out.flush();
            }

            @Override
            public void onDisconnect(String reason) {
                err.println("fs-cli: " + reason);
            }
        };
        EslClient client;
        try {
            client = EslClient.connect(config, commands.isEmpty() ? printer : event -> { }).get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            err.println("fs-cli: " + e.getCause().getMessage());
            return e.getCause() instanceof EslException.AuthenticationFailed ? AUTH_FAILED : UNREACHABLE;
        } catch (TimeoutException e) {
            err.println("fs-cli: no answer from " + config + " within " + timeoutMs + " ms");
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }
        try (client) {
            return commands.isEmpty() ? interactive(client, config, out, err) : batch(client, commands, timeoutMs, out, err);
        }
    }

    private static int batch(EslClient client, List<String> commands, long timeoutMs, PrintStream out, PrintStream err) {
        int status = OK;
        for (String command : commands) {
            try {
                EslReply reply = client.command("api " + command).get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
                String body = reply.frame().bodyAsString();
                out.print(body);
                out.flush();
                if (body.startsWith("-ERR")) {
                    status = ERR_REPLY;
                }
            } catch (ExecutionException | TimeoutException e) {
                err.println("fs-cli: " + (e.getCause() != null ? e.getCause().getMessage() : "no reply to '" + command + "'"));
                return UNREACHABLE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return UNREACHABLE;
            }
        }
        return status;
    }

    private static int interactive(EslClient client, EslClientConfig config, PrintStream out, PrintStream err) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".switchboard_fs_cli_history"))
                    .build();
            out.println("Connected to " + config + ". Type /help for help, /exit to leave.");
            while (true) {
                String line;
                try {
                    line = reader.readLine("freeswitch@" + config.host() + "> ").strip();
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return OK;
                }
                if (line.isEmpty()) {
                    continue;
                }
                if (line.equals("/exit") || line.equals("/quit") || line.equals("/bye") || line.equals("...")) {
                    return OK;
                }
                String command = line.equals("/help") ? null
                        : line.startsWith("/event ") ? "event " + line.substring(7)
                        : line.startsWith("/filter ") ? "filter " + line.substring(8)
                        : line.startsWith("/nixevent ") ? "nixevent " + line.substring(10)
                        : line.equals("/noevents") ? "noevents"
                        : line.equals("/log") || line.startsWith("/log ") ? "log " + line.substring(4).strip()
                        : line.equals("/nolog") ? "nolog"
                        : line.startsWith("/") ? null
                        : "api " + line;
                if (command == null) {
                    out.println("API commands as typed; /event plain|json|xml <names>, /filter <header> <value>, "
                            + "/nixevent <names>, /noevents, /log [level], /nolog, /exit");
                    continue;
                }
                try {
                    EslReply reply = client.command(command).get(config.commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
                    out.print(command.startsWith("api ") ? reply.frame().bodyAsString() : reply.text() + "\n");
                    out.flush();
                } catch (ExecutionException | TimeoutException e) {
                    err.println("fs-cli: " + (e.getCause() != null ? e.getCause().getMessage() : "no reply"));
                    if (!client.isConnected()) {
                        return UNREACHABLE;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return OK;
                }
            }
        } catch (IOException e) {
            err.println("fs-cli: cannot open the terminal: " + e.getMessage());
            return UNREACHABLE;
        }
    }
}
