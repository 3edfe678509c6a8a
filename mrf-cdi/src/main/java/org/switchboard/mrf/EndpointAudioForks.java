package org.switchboard.mrf;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.media.AudioFork;
import org.switchboard.sip.media.AudioForkOptions;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.MediaException;

/**
 * An endpoint's audio forks ({@code uuid_audio_fork}, docs/media-server.md): the command written as drachtio-fsmrf
 * writes it, the fork's CUSTOM events subscribed on first use, a start completed by the {@code connect} or failed by
 * the {@code connect_failed} event, and the files of {@code play_audio} events played when the options ask.
 *
 * <p>Threads: operations start on the caller's thread; events and completions run on the endpoint's lane. The
 * pending start and the forks are in a volatile field and a concurrent map.
 */
final class EndpointAudioForks {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointAudioForks.class);
    static final String PREFIX = "mod_audio_fork::";
    /** The events a fork fires (mod_audio_fork's names after the prefix). */
    static final List<String> EVENTS = List.of("connect", "connect_failed", "disconnect", "buffer_overrun",
            "transcription", "transfer", "play_audio", "kill_audio", "error", "json");
    private static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final ChannelEndpoint endpoint;
    private final Map<String, Fork> forks = new ConcurrentHashMap<>();
    private final List<Consumer<EslEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> subscribed;
    private volatile CompletableFuture<Void> connecting;

    EndpointAudioForks(ChannelEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    CompletionStage<AudioFork> start(AudioForkOptions options) {
        String name = options.name();
        Fork fork = new Fork(name, options.playReturnedAudio());
        CompletableFuture<AudioFork> started = endpoint.run("fork audio to " + options.url(),
                () -> subscribe().thenCompose(x -> {
                    CompletableFuture<Void> connected = new CompletableFuture<>();
                    synchronized (this) {
                        if (connecting != null && !connecting.isDone()) {
                            throw new IllegalStateException("another audio fork is starting");
                        }
                        if (forks.putIfAbsent(name, fork) != null) {
                            throw new MediaException("an audio fork named " + name + " runs already on "
                                    + endpoint.uuid());
                        }
                        connecting = connected;
                    }
                    String command = "uuid_audio_fork ^^|" + String.join("|", endpoint.uuid(), "start",
                            options.url().toString(), options.mix().name().toLowerCase(java.util.Locale.ROOT),
                            Integer.toString(options.sampleRate()), name,
                            options.metadata().map(m -> "'" + m + "'").orElse(""), "true", "false", "");
                    return endpoint.api(command).thenCompose(reply -> connected).thenApply(ok -> (AudioFork) fork);
                }));
        // refused, failed or past its deadline: the name is free again
        started.whenComplete((f, e) -> {
            if (e != null) {
                forks.remove(name, fork);
            }
        });
        return started;
    }

    private synchronized CompletableFuture<Void> subscribe() {
        if (subscribed == null) {
            CompletableFuture<?>[] all = EVENTS.stream()
                    .map(e -> endpoint.addCustomEventListener(PREFIX + e, this::onEvent).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            subscribed = CompletableFuture.allOf(all);
        }
        return subscribed;
    }

    /** A fork event (endpoint's lane). */
    private void onEvent(EslEvent event) {
        String kind = event.subclass().orElse("").substring(PREFIX.length());
        CompletableFuture<Void> pending = connecting;
        switch (kind) {
            case "connect" -> {
                if (pending != null) {
                    pending.complete(null);
                }
            }
            case "connect_failed" -> {
                if (pending != null) {
                    pending.completeExceptionally(new MediaException("audio fork on " + endpoint.uuid()
                            + " could not connect: " + field(REASON, event.body())));
                }
            }
            case "disconnect" -> forks.values().forEach(Fork::finish);
            case "play_audio" -> {
                String file = field(FILE, event.body());
                if (!file.isEmpty() && forks.values().stream().anyMatch(f -> f.play)) {
                    endpoint.play(file).whenComplete((r, e) -> {
                        if (e != null) {
                            LOG.debug("MRF-FORK-001 {}: playing {} of a playAudio failed: {}", endpoint.uuid(), file,
                                    e.toString());
                        }
                    });
                }
            }
            default -> {
            }
        }
        listeners.forEach(l -> l.accept(event));
    }

    private static String field(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? m.group(1).replace("\\/", "/").replace("\\\"", "\"").replace("\\\\", "\\") : "";
    }

    /** One fork, by name. */
    private final class Fork implements AudioFork {
        private final String name;
        private final boolean play;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        Fork(String name, boolean play) {
            this.name = name;
            this.play = play;
        }

        void finish() {
            forks.remove(name, this);
            ended.complete(null);
        }

        @Override
        public String name() {
            return name;
        }

        private CompletionStage<Void> command(String operation, String args) {
            if (ended.isDone()) {
                return CompletableFuture.failedFuture(new MediaException("the audio fork " + name + " on "
                        + endpoint.uuid() + " has ended"));
            }
            return endpoint.api("uuid_audio_fork " + endpoint.uuid() + " " + operation + " " + name
                    + (args.isEmpty() ? "" : " " + args)).thenApply(r -> (Void) null);
        }

        @Override
        public CompletionStage<Void> sendText(String text) {
            return command("send_text", quoted(text));
        }

        @Override
        public CompletionStage<Void> pause(boolean silence) {
            return command("pause", silence ? "silence" : "blank");
        }

        @Override
        public CompletionStage<Void> resume() {
            return command("resume", "");
        }

        @Override
        public CompletionStage<Void> gracefulShutdown() {
            return command("graceful-shutdown", "");
        }

        @Override
        public CompletionStage<Void> stop(String finalText) {
            return command("stop", finalText == null ? "" : quoted(finalText)).thenRun(this::finish);
        }

        private String quoted(String text) {
            if (text.contains("'")) {
                throw new IllegalArgumentException("a fork's text may not contain a single quote");
            }
            return "'" + text + "'";
        }

        @Override
        public void onEvent(Consumer<EslEvent> listener) {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        }

        @Override
        public CompletionStage<Void> ended() {
            return ended.copy();
        }
    }
}
