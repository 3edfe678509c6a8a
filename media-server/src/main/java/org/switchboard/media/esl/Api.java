package org.switchboard.media.esl;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.codec.PercentCoding;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.core.Message;

/**
 * The api commands the switch answers, by name. The built-in ones are those the MRF uses; others
 * (the conference commands) are added with {@link #register}. Unknown names answer
 * {@code -ERR <name> Command not found!}.
 */
public final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    // the switch's console (mod_console): its lines go to the server's log at DEBUG
    private static final Logger CONSOLE = LoggerFactory.getLogger("org.switchboard.media.console");

    private final Core core;
    private final int maxSessions;
    private final Map<String, ApiCommand> commands = new ConcurrentHashMap<>();
    private volatile boolean ready = true;

    /**
     * The api of {@code core}.
     *
     * @param profile the SIP profile {@code sofia status} reports
     * @param maxSessions the most channels up at once, as {@code status} reports it
     */
    public Api(Core core, SofiaProfile profile, int maxSessions) {
        this.core = core;
        this.maxSessions = maxSessions;
        register("status", (a, c) -> status());
        register("sofia", (a, c) -> profile.answer(a));
        register("uuid_dump", (a, c) -> withChannel(a, ch -> {
            org.switchboard.esl.event.EslEvent data = ch.channelDataEvent("uuid_dump", 1).build();
            String[] p = a.split(" ");
            return switch (p.length > 1 ? p[1].toLowerCase(Locale.ROOT) : "") {
                case "json" -> data.toJson();
                case "xml" -> data.toXml();
                default -> data.toPlain();
            };
        }));
        register("uuid_exists", (a, c) -> Boolean.toString(core.channel(first(a)).isPresent()));
        register("uuid_kill", (a, c) -> withChannel(a, ch -> {
            String[] p = a.split(" ");
            ch.hangup(p.length > 1 ? p[1] : "NORMAL_CLEARING");
            return "+OK\n";
        }));
        register("uuid_break", (a, c) -> withChannel(a, ch -> {
            ch.requestBreak();
            return "+OK\n";
        }));
        register("uuid_getvar", (a, c) -> withChannel(a, ch -> {
            String[] p = a.split(" ");
            return p.length > 1 ? ch.get(p[1]).orElse("_undef_") : "-USAGE: <uuid> <var>\n";
        }));
        register("uuid_setvar", (a, c) -> withChannel(a, ch -> {
            String[] p = a.split(" ", 3);
            if (p.length < 2) {
                return "-USAGE: <uuid> <var> [value]\n";
            }
            ch.set(p[1], p.length > 2 ? p[2] : null);
            return "+OK\n";
        }));
        register("uuid_set_media_stats", (a, c) -> withChannel(a, ch -> {
            ch.rtp().ifPresent(r -> {
                ch.set("rtp_audio_in_packet_count", Long.toString(r.stats().packetsReceived()));
                ch.set("rtp_audio_out_packet_count", Long.toString(r.stats().packetsSent()));
                ch.set("rtp_audio_in_skip_packet_count", Long.toString(r.stats().lost()));
                ch.set("rtp_audio_in_media_packet_count", Long.toString(r.stats().packetsReceived()));
                ch.set("rtp_audio_out_media_packet_count", Long.toString(r.stats().packetsSent()));
            });
            return "+OK:\n";
        }));
        register("uuid_answer", (a, c) -> withChannel(a, ch -> "+OK\n"));
        register("uuid_broadcast", (a, c) -> withChannel(a, ch -> {
            String[] p = a.split(" ");
            if (p.length < 2) {
                return "-USAGE: <uuid> <path> [aleg|bleg|both]\n";
            }
            executeLater(ch, "playback", p[1]);
            return "+OK Message sent\n";
        }));
        register("uuid_send_dtmf", (a, c) -> withChannel(a, ch -> {
            String[] p = a.split(" ");
            if (p.length < 2) {
                return "-USAGE: <uuid> <dtmf_data>\n";
            }
            executeLater(ch, "send_dtmf", p[1]);
            return "+OK Success\n";
        }));
        register("uuid_record", (a, c) -> withChannel(a, ch -> record(ch, a)));
        register("show", (a, c) -> show(a));
        register("hostname", (a, c) -> core.hostname());
        register("version", (a, c) -> "FreeSWITCH Version 1.10.11-release+switchboard (embedded)\n");
        register("global_getvar", (a, c) -> core.global(a).orElse(""));
        register("eval", (a, c) -> c.map(ch -> ch.expand(a)).orElse(a));
        Console console = new Console(line -> CONSOLE.debug("{}", line.stripTrailing()));
        register("console", (a, c) -> console.api(a));
        if (CONSOLE.isDebugEnabled()) {
            // only then: a listener makes every log line be built, for nothing when the console is not shown
            core.listenToLog(console::accept);
        }
    }

    /** Adds (or replaces) a command. */
    public void register(String name, ApiCommand command) {
        commands.put(name.toLowerCase(Locale.ROOT), command);
    }

    /** Runs {@code line} ({@code <command> [args]}) and returns its output, never empty. */
    public String execute(String line, Optional<Channel> controlled) {
        String collapsed = line.strip().replaceAll(" +", " ");
        int space = collapsed.indexOf(' ');
        String name = space < 0 ? collapsed : collapsed.substring(0, space);
        String args = space < 0 ? "" : collapsed.substring(space + 1);
        ApiCommand command = commands.get(name.toLowerCase(Locale.ROOT));
        if (command == null) {
            return "-ERR " + name + " Command not found!\n";
        }
        String out;
        try {
            out = command.run(args, controlled);
        } catch (RuntimeException e) {
            LOG.warn("MS-API-001 api '{}' failed", collapsed, e);
            out = "-ERR " + e.getMessage() + "\n";
        }
        return out == null || out.isEmpty() ? "-ERR no reply\n" : out;
    }

    /** {@code uuid_record <uuid> start|stop <path> [limit]}: a recording of both legs. */
    private static String record(Channel ch, String args) {
        String[] p = args.split(" ");
        if (p.length < 3) {
            return "-USAGE: <uuid> [start|stop] <path> [<limit>]\n";
        }
        java.nio.file.Path path = java.nio.file.Path.of(p[2]);
        if (p[1].equals("start")) {
            try {
                long limit = p.length > 3 ? Long.parseLong(p[3]) : 0;
                ch.startRecording(path, true, limit);
            } catch (java.io.IOException | NumberFormatException e) {
                return "-ERR Cannot record session! " + e.getMessage() + "\n";
            }
            ch.fire("RECORD_START", "switch_ivr_async.c", "record_callback", Map.of("Record-File-Path", p[2]));
            return "+OK Success\n";
        }
        if (p[1].equals("stop")) {
            ch.recordings().stream().filter(r -> p[2].equals("all") || r.path().equals(path))
                    .forEach(ch::stopRecording);
            return "+OK Success\n";
        }
        return "-USAGE: <uuid> [start|stop] <path> [<limit>]\n";
    }

    private String withChannel(String args, java.util.function.Function<Channel, String> action) {
        Optional<Channel> ch = core.channel(first(args));
        return ch.map(action).orElse("-ERR No such channel!\n");
    }

    /** Queues {@code app} for the channel thread, as a controller's {@code sendmsg execute} would. */
    private static void executeLater(Channel ch, String app, String arg) {
        ch.enqueue(new Message(Map.of("call-command", "execute", "execute-app-name", app, "execute-app-arg", arg), ""));
    }

    private static String first(String args) {
        int space = args.indexOf(' ');
        return space < 0 ? args : args.substring(0, space);
    }

    /**
     * From now on {@code status} says the switch {@code is not ready}, as FreeSWITCH's does once it takes no new
     * calls (shutting down, or {@code fsctl pause}).
     */
    public void notReady() {
        ready = false;
    }

    private String status() {
        long up = core.uptimeMillis();
        Map<String, Long> stats = core.sessionStatistics();
        return String.format(Locale.ROOT, "UP 0 years, %d days, %d hours, %d minutes, %d seconds, %d milliseconds, "
                        + "0 microseconds\nFreeSWITCH (Version 1.10.11 switchboard embedded 64bit) is %s\n"
                        + "%d session(s) since startup\n%d session(s) - peak %d, last 5min %d \n"
                        + "%d session(s) per Sec out of max 0, peak %d, last 5min %d \n%d session(s) max\n"
                        + "min idle cpu 0.00/100.00\n",
                up / 86_400_000, up / 3_600_000 % 24, up / 60_000 % 60, up / 1000 % 60, up % 1000,
                ready ? "ready" : "not ready", core.sessionsSinceStartup(), core.channels().size(), stats.get("peakMax"),
                stats.get("peakFiveMin"),
                stats.get("last"), stats.get("rateMax"), stats.get("rateFiveMin"), maxSessions);
    }

    private String show(String args) {
        if (!args.startsWith("channels")) {
            return "-USAGE: show channels [as json]\n";
        }
        var channels = core.channels();
        if (args.endsWith("as json")) {
            StringBuilder rows = new StringBuilder();
            for (Channel ch : channels) {
                EslEvent row = channelRow(ch);
                rows.append(rows.length() == 0 ? "" : ",").append(row.toJson().replace("\"Event-Name\":\"uuid\",", ""));
            }
            return "{\"row_count\":" + channels.size() + (channels.isEmpty() ? "" : ",\"rows\":[" + rows + "]") + "}\n";
        }
        StringBuilder out = new StringBuilder("uuid,direction,name,callstate\n");
        for (Channel ch : channels) {
            out.append(ch.uuid()).append(",inbound,").append(PercentCoding.encode(ch.name())).append(',')
                    .append(ch.callState()).append('\n');
        }
        return out.append('\n').append(channels.size()).append(" total.\n").toString();
    }

    /** One row of {@code show channels as json}: the columns of FreeSWITCH's this switch knows, in their order. */
    private static EslEvent channelRow(Channel ch) {
        Map<String, String> profile = ch.profile();
        String codec = ch.codec().name();
        String rate = Integer.toString(ch.codec().sampleRate());
        long created = ch.createdEpochSeconds();
        return EslEvent.builder("uuid").header("uuid", ch.uuid()).header("direction", "inbound")
                .header("created", CREATED.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(created), ZoneId.systemDefault())))
                .header("created_epoch", Long.toString(created)).header("name", ch.name()).header("state", ch.state())
                .header("cid_name", profile.getOrDefault("Caller-ID-Name", ""))
                .header("cid_num", profile.getOrDefault("Caller-ID-Number", ""))
                .header("ip_addr", profile.getOrDefault("Network-Addr", ""))
                .header("dest", profile.getOrDefault("Destination-Number", ""))
                .header("read_codec", codec).header("read_rate", rate).header("write_codec", codec)
                .header("write_rate", rate).header("callstate", ch.callState()).build();
    }
}
