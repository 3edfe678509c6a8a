package org.switchboard.media.fork;

import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.esl.ApiCommand;

/**
 * The {@code uuid_audio_fork} api command, as mod_audio_fork defines it (docs/media-server.md), and the forks
 * running, by channel and bug name:
 * <pre>
 * uuid_audio_fork &lt;uuid&gt; start &lt;ws-url&gt; [mono|mixed|stereo] [8k|16k|&lt;rate&gt;] [bugname] [metadata]
 *                 [bidirectional enabled] [bidirectional streaming] [bidirectional sample rate]
 * uuid_audio_fork &lt;uuid&gt; stop [bugname] [text]
 * uuid_audio_fork &lt;uuid&gt; send_text [bugname] &lt;text&gt;
 * uuid_audio_fork &lt;uuid&gt; pause [bugname] [silence|blank]
 * uuid_audio_fork &lt;uuid&gt; resume|graceful-shutdown|stop_play [bugname]
 * </pre>
 * Arguments are split at spaces, or at the character after a leading {@code ^^} (what drachtio-fsmrf sends);
 * single quotes group an argument and are removed. A lone optional argument starting with a brace or bracket is the
 * text (metadata), otherwise the bug name. Answers {@code +OK Success} or {@code -ERR Operation Failed}.
 */
public final class AudioForks {

    private static final Logger LOG = LoggerFactory.getLogger(AudioForks.class);
    static final String USAGE = "-USAGE: <uuid> [start | stop | send_text | pause | resume | graceful-shutdown | stop_play ]"
            + " [wss-url | path] [mono | mixed | stereo] [8000 | 16000 | 24000 | 32000 | 64000] [bugname] [metadata]"
            + " [bidirectionalAudio_enabled] [bidirectionalAudio_stream_enabled] [bidirectionalAudio_stream_samplerate]\n";
    private static final String OK = "+OK Success\n";
    private static final String FAILED = "-ERR Operation Failed\n";

    private final Core core;
    private final EventLoopGroup group;
    private final Executor work;
    private final Path temp;
    private final Duration connectTimeout;
    private final Duration gracefulDeadline;
    private final Map<String, AudioFork> forks = new ConcurrentHashMap<>();

    /**
     * The forks of {@code core}'s channels.
     *
     * @param group the event loops the WebSocket connections run on
     * @param work the workers that handle the servers' messages (off the event loops: they may write files)
     * @param temp where the audio of playAudio messages is written
     * @param connectTimeout the deadline of the TCP connection and, again, of the WebSocket handshake
     * @param gracefulDeadline how long a graceful shutdown waits for the server to close before closing itself
     */
    public AudioForks(Core core, EventLoopGroup group, Executor work, Path temp, Duration connectTimeout,
                      Duration gracefulDeadline) {
        this.core = core;
        this.group = group;
        this.work = work;
        this.temp = temp;
        this.connectTimeout = connectTimeout;
        this.gracefulDeadline = gracefulDeadline;
    }

    /** The api command. */
    public ApiCommand api() {
        return (args, controlled) -> run(split(args));
    }

    /** How many forks run. */
    public int running() {
        return forks.size();
    }

    private String run(List<String> argv) {
        if (argv.size() < 2 || argv.get(1).equals("start") && argv.size() < 3) {
            return USAGE;
        }
        Optional<Channel> found = core.channel(argv.get(0));
        if (found.isEmpty()) {
            return FAILED;
        }
        Channel ch = found.get();
        String verb = argv.get(1).toLowerCase(java.util.Locale.ROOT);
        String third = argv.size() > 2 ? argv.get(2) : null;
        String name = third == null || isText(third) ? ForkSettings.DEFAULT_BUGNAME : third;
        return switch (verb) {
            case "start" -> start(ch, argv);
            case "stop" -> {
                String text = argv.size() > 3 ? argv.get(3) : third != null && isText(third) ? third : null;
                yield with(ch, name, f -> f.close(text));
            }
            case "send_text" -> {
                String text = argv.size() > 3 ? argv.get(3) : third != null && isText(third) ? third : null;
                if (text == null) {
                    yield USAGE;
                }
                AudioFork f = forks.get(key(ch, name));
                yield f != null && f.sendText(text) ? OK : FAILED;
            }
            case "pause" -> with(ch, name, f -> f.pause(true, argv.size() > 3 && argv.get(3).equals("silence")));
            case "resume" -> with(ch, name, f -> f.pause(false, false));
            case "graceful-shutdown" -> with(ch, name, f -> f.gracefulShutdown(gracefulDeadline));
            case "stop_play" -> with(ch, name, AudioFork::stopPlay);
            default -> FAILED;
        };
    }

    private String start(Channel ch, List<String> argv) {
        ForkSettings settings;
        try {
            String mix = argv.size() > 3 ? argv.get(3) : "mono";
            int rate = argv.size() > 4 ? ForkSettings.parseRate(argv.get(4)) : 8000;
            String bugname = ForkSettings.DEFAULT_BUGNAME;
            String metadata = null;
            int returnRate = 0;
            if (argv.size() > 7) {
                // drachtio-fsmrf's form: bugname and metadata always there (maybe empty), then the return direction
                bugname = argv.get(5).isEmpty() ? bugname : argv.get(5);
                metadata = argv.get(6).isEmpty() ? null : argv.get(6);
                boolean enabled = !List.of("false", "0").contains(argv.get(7));
                String returnRateArg = argv.size() > 9 ? argv.get(9) : "";
                returnRate = !enabled ? -1 : returnRateArg.isEmpty() ? 0 : ForkSettings.parseRate(returnRateArg);
            } else if (argv.size() > 6) {
                bugname = argv.get(5);
                metadata = argv.get(6);
            } else if (argv.size() > 5) {
                if (isText(argv.get(5))) {
                    metadata = argv.get(5);
                } else {
                    bugname = argv.get(5);
                }
            }
            settings = new ForkSettings(ForkSettings.parseUrl(argv.get(2)), ForkSettings.Mix.parse(mix), rate, bugname,
                    metadata, returnRate);
        } catch (IllegalArgumentException e) {
            LOG.info("MS-FORK-010 {}: uuid_audio_fork start refused: {}", ch.uuid(), e.getMessage());
            return FAILED;
        }
        String key = key(ch, settings.bugname());
        AudioFork fork = new AudioFork(ch, settings, temp, work, () -> forks.remove(key));
        if (forks.putIfAbsent(key, fork) != null) {
            LOG.info("MS-FORK-011 {}: audio fork {} already attached", ch.uuid(), settings.bugname());
            return FAILED;
        }
        try {
            fork.start(group, connectTimeout);
        } catch (SSLException | RuntimeException e) {
            forks.remove(key);
            LOG.warn("MS-FORK-012 {}: audio fork {} could not start", ch.uuid(), settings.bugname(), e);
            return FAILED;
        }
        ch.hungUp().whenComplete((cause, e) -> fork.close(null));
        return OK;
    }

    private String with(Channel ch, String bugname, java.util.function.Consumer<AudioFork> action) {
        AudioFork f = forks.get(key(ch, bugname));
        if (f == null) {
            return FAILED;
        }
        action.accept(f);
        return OK;
    }

    private static String key(Channel ch, String bugname) {
        return ch.uuid() + "/" + bugname;
    }

    private static boolean isText(String arg) {
        return arg.startsWith("{") || arg.startsWith("[");
    }

    /**
     * The arguments as FreeSWITCH separates them: at spaces (runs of them count once), or at the character after a
     * leading {@code ^^} (each one: empty arguments kept); a single-quoted part keeps its separators, without quotes.
     */
    static List<String> split(String args) {
        char sep = ' ';
        String s = args;
        if (s.startsWith("^^") && s.length() > 2) {
            sep = s.charAt(2);
            s = s.substring(3);
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == sep && !quoted) {
                if (sep != ' ' || any) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any || sep != ' ' && !s.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
