package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.sip.media.CollectResult;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.PlayCollectOptions;
import org.switchboard.sip.media.PlayOptions;
import org.switchboard.sip.media.PlayResult;
import org.switchboard.sip.media.RecordOptions;
import org.switchboard.sip.media.RecordResult;

/**
 * The media applications an endpoint runs on its channel, drachtio-fsmrf's play, playCollect, say, speak, record and
 * session recording: the dialplan application each executes, the arguments written for it and the result read from
 * its completion event. The endpoint gives each its deadline and lane ({@link ChannelEndpoint#run}) and executes the
 * applications ({@link ChannelEndpoint#exec}).
 *
 * <p>Threads: the operations start on the caller's thread and continue on the endpoint's lane; the one state here,
 * whether a playback time limit is set on the channel, is volatile and written on that lane.
 */
final class MediaApplications {

    private final ChannelEndpoint endpoint;
    private volatile boolean playbackTimeoutSet;

    MediaApplications(ChannelEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    CompletionStage<PlayResult> play(PlayOptions options) {
        List<String> files = new ArrayList<>(options.files());
        if (options.seekOffset() > 0) {
            files.set(0, files.get(0) + "@@" + options.seekOffset());
        }
        String arg = String.join("!", files);
        return endpoint.run("play " + arg, () -> {
            CompletionStage<?> ready = CompletableFuture.completedFuture(null);
            if (files.size() > 1) {
                ready = endpoint.exec("set", "playback_delimiter=!");
            }
            if (!options.timeout().isZero() || playbackTimeoutSet) {
                // the variable stays on the channel: a later play without a limit must clear it
                String limit = options.timeout().isZero() ? "" : Long.toString(options.timeout().toSeconds());
                playbackTimeoutSet = !limit.isEmpty();
                ready = ready.thenCompose(x -> endpoint.exec("set", "playback_timeout_sec=" + limit));
            }
            return ready.thenCompose(x -> endpoint.exec("playback", arg)).thenApply(done -> {
                String response = done.header("Application-Response").orElse("");
                if (response.equals("FILE NOT FOUND") || response.equals("PLAYBACK ERROR")) {
                    throw new MediaException("play " + arg + " on " + endpoint.uuid() + ": "
                            + response.toLowerCase(Locale.ROOT));
                }
                return playResult(done);
            });
        });
    }

    private static PlayResult playResult(EslEvent done) {
        return new PlayResult((int) Events.number(done, "playback_seconds"), Events.number(done, "playback_ms"),
                Events.number(done, "playback_last_offset_pos"));
    }

    CompletionStage<CollectResult> playCollect(PlayCollectOptions o) {
        String arg = String.join(" ", Integer.toString(o.minDigits()), Integer.toString(o.maxDigits()),
                Integer.toString(o.tries()), Long.toString(o.timeout().toMillis()), o.terminators(), o.file(),
                o.invalidFile(), o.variable(), o.pattern(), Long.toString(o.digitTimeout().toMillis()));
        return endpoint.run("playCollect " + o.file(), () -> endpoint.exec("play_and_get_digits", arg).thenApply(
                done -> new CollectResult(done.variable(o.variable()).orElse(""),
                        done.variable(o.variable() + "_invalid").orElse(""),
                        done.variable("read_terminator_used").orElse(""),
                        done.variable("read_result").orElse(""))));
    }

    CompletionStage<PlayResult> say(String language, String type, String method, String gender, String text) {
        String arg = language + " " + type.toUpperCase(Locale.ROOT) + " " + method.toLowerCase(Locale.ROOT) + " "
                + (gender.isBlank() ? "" : gender.toUpperCase(Locale.ROOT) + " ") + text;
        return endpoint.run("say " + arg, () -> endpoint.exec("say", arg).thenApply(MediaApplications::playResult));
    }

    CompletionStage<Void> speak(String engine, String voice, String text) {
        return endpoint.run("speak " + engine,
                () -> endpoint.exec("speak", engine + "|" + voice + "|" + text).thenApply(done -> null));
    }

    CompletionStage<RecordResult> record(String file, RecordOptions options) {
        StringBuilder arg = new StringBuilder(file);
        if (!options.timeLimit().isZero() || options.silenceThreshold() > 0) {
            arg.append(' ').append(options.timeLimit().toSeconds());
        }
        if (options.silenceThreshold() > 0) {
            arg.append(' ').append(options.silenceThreshold()).append(' ').append(options.silenceHits());
        }
        return endpoint.run("record " + file, () -> {
            CompletionStage<?> ready = options.beep() ? endpoint.exec("playback", RecordOptions.BEEP)
                    : CompletableFuture.completedFuture(null);
            return ready.thenCompose(x -> endpoint.exec("record", arg.toString())).thenApply(done -> new RecordResult(
                    (int) Events.number(done, "record_seconds"), Events.number(done, "record_ms"),
                    Events.number(done, "record_samples"), done.variable("playback_terminator_used").orElse("")));
        });
    }

    CompletionStage<Void> recordSession(String file) {
        return endpoint.run("record session " + file, () -> endpoint.exec("record_session", file).thenApply(done -> {
            String response = done.header("Application-Response").orElse("");
            if (response.startsWith("-ERR")) {
                throw new MediaException("record session " + file + " on " + endpoint.uuid() + ": " + response);
            }
            return null;
        }));
    }

    CompletionStage<Void> stopRecordSession(String file) {
        return endpoint.run("stop record session " + file,
                () -> endpoint.exec("stop_record_session", file).thenApply(done -> null));
    }
}
