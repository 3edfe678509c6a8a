package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConferenceEvent;
import org.switchboard.sip.media.ConferenceMember;
import org.switchboard.sip.media.MediaException;

/**
 * A conference held by its control leg: the leg's connection filters on the conference's unique id as well as on
 * its channel, so every event of the conference reaches it; the API commands go over the same connection.
 */
final class MediaConference implements Conference {

    private static final Pattern OK = Pattern.compile("OK\\s+");

    private final String name;
    private final String uuid;
    private final ChannelEndpoint leg;
    private final Map<Integer, ConferenceMember> members = new ConcurrentSkipListMap<>();
    private final List<Consumer<ConferenceEvent>> listeners = new CopyOnWriteArrayList<>();
    // plays waiting for their done event, oldest first
    private final List<PendingPlay> plays = new ArrayList<>();

    private record PendingPlay(String file, int memberId, CompletableFuture<Void> done) {
    }

    private MediaConference(String name, String uuid, ChannelEndpoint leg) {
        this.name = name;
        this.uuid = uuid;
        this.leg = leg;
    }

    /** Takes over the control leg once it joined as {@code member}; completes when the conference's events flow. */
    static CompletableFuture<Conference> start(String name, ConferenceMember member, ChannelEndpoint leg) {
        MediaConference conference = new MediaConference(name, member.conferenceUuid(), leg);
        leg.onConferenceEvent(conference::onEvent);
        return leg.run("follow conference " + name, () -> leg.session().filter("Conference-Unique-ID", conference.uuid)
                .thenApply(r -> (Conference) conference));
    }

    // on the event socket's threads: members' events come on their channels' lanes
    private void onEvent(EslEvent event) {
        if (!event.header("Conference-Unique-ID").orElse("").equals(uuid)) {
            return;
        }
        String action = event.header("Action").orElse("");
        OptionalInt member = event.header("Member-ID").map(String::strip).filter(m -> m.matches("\\d+"))
                .map(m -> OptionalInt.of(Integer.parseInt(m))).orElse(OptionalInt.empty());
        String channel = event.uniqueId().orElse("");
        if (member.isPresent() && !channel.equals(leg.uuid())) {
            if (action.equals("add-member")) {
                members.put(member.getAsInt(), new ConferenceMember(member.getAsInt(), uuid, channel));
            } else if (action.equals("del-member")) {
                members.remove(member.getAsInt());
            }
        }
        if (action.equals("play-file-done") || action.equals("play-file-member-done")) {
            played(event.header("File").orElse(""), action.equals("play-file-done") ? -1 : member.orElse(-2));
        }
        ConferenceEvent copy = new ConferenceEvent(action, member, Events.toApi(event));
        for (Consumer<ConferenceEvent> l : listeners) {
            leg.lane().execute(() -> l.accept(copy));
        }
    }

    private void played(String file, int memberId) {
        PendingPlay match = null;
        synchronized (plays) {
            for (PendingPlay p : plays) {
                if (p.file.equals(file) && p.memberId == memberId) {
                    match = p;
                    break;
                }
            }
            plays.remove(match);
        }
        if (match != null) {
            match.done.complete(null);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String uuid() {
        return uuid;
    }

    @Override
    public List<ConferenceMember> members() {
        return List.copyOf(members.values());
    }

    @Override
    public CompletionStage<Integer> size() {
        return leg.run("size of " + name, () -> leg.session().api("conference " + name + " list count")
                .thenApply(body -> {
                    try {
                        return Integer.parseInt(body.strip());
                    } catch (NumberFormatException e) {
                        throw new MediaException("size of " + name + ": " + body.strip());
                    }
                }));
    }

    @Override
    public CompletionStage<List<ConferenceMember>> listMembers() {
        return leg.run("list " + name, () -> leg.session().api("conference " + name + " list").thenApply(body -> {
            if (body.startsWith("-ERR")) {
                throw new MediaException("list " + name + ": " + body.strip());
            }
            return parseList(body, uuid, leg.uuid());
        }));
    }

    /** The members in {@code conference <name> list} output: {@code id;channel name;channel uuid;...} a line. */
    static List<ConferenceMember> parseList(String body, String conferenceUuid, String controlLeg) {
        List<ConferenceMember> list = new ArrayList<>();
        for (String line : body.split("\n")) {
            String[] f = line.strip().split(";");
            if (f.length > 2 && f[0].matches("\\d+") && !f[2].equals(controlLeg)) {
                list.add(new ConferenceMember(Integer.parseInt(f[0]), conferenceUuid, f[2]));
            }
        }
        list.sort(java.util.Comparator.comparingInt(ConferenceMember::memberId));
        return List.copyOf(list);
    }

    @Override
    public CompletionStage<String> get(String parameter) {
        token("parameter", parameter);
        return text("get " + parameter, "get " + parameter);
    }

    @Override
    public CompletionStage<String> set(String parameter, String value) {
        token("parameter", parameter);
        token("value", value);
        return text("set " + parameter, "set " + parameter + " " + value);
    }

    private static void token(String what, String value) {
        if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be one word, was '" + value + "'");
        }
    }

    private CompletionStage<String> text(String operation, String arguments) {
        return leg.run(operation + " in " + name, () -> leg.session().api("conference " + name + " " + arguments)
                .thenApply(body -> {
                    if (body.startsWith("-ERR")) {
                        throw new MediaException(operation + " in " + name + ": " + body.strip());
                    }
                    return body.strip();
                }));
    }

    private CompletionStage<Void> command(String operation, String arguments, Pattern success) {
        return leg.run(operation + " in " + name, () -> leg.session().api("conference " + name + " " + arguments)
                .thenApply(body -> {
                    if (!success.matcher(body).find()) {
                        throw new MediaException(operation + " in " + name + ": " + body.strip());
                    }
                    return null;
                }));
    }

    @Override
    public CompletionStage<Void> mute(int memberId) {
        return command("mute " + memberId, "mute " + memberId, OK);
    }

    @Override
    public CompletionStage<Void> unmute(int memberId) {
        return command("unmute " + memberId, "unmute " + memberId, OK);
    }

    @Override
    public CompletionStage<Void> deaf(int memberId) {
        return command("deaf " + memberId, "deaf " + memberId, OK);
    }

    @Override
    public CompletionStage<Void> undeaf(int memberId) {
        return command("undeaf " + memberId, "undeaf " + memberId, OK);
    }

    @Override
    public CompletionStage<Void> kick(int memberId) {
        return command("kick " + memberId, "kick " + memberId, OK);
    }

    @Override
    public CompletionStage<Void> hangup(int memberId) {
        return command("hang up " + memberId, "hup " + memberId, OK);
    }

    @Override
    public CompletionStage<Void> transfer(int memberId, String conference) {
        if (!conference.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("conference must be letters, digits, '_', '.' or '-', was '" + conference + "'");
        }
        return command("transfer " + memberId, "transfer " + conference + " " + memberId, Pattern.compile("OK Member"));
    }

    @Override
    public CompletionStage<Void> muteAll() {
        return command("mute all", "mute all", OK);
    }

    @Override
    public CompletionStage<Void> unmuteAll() {
        return command("unmute all", "unmute all", OK);
    }

    @Override
    public CompletionStage<Void> deafAll() {
        return command("deaf all", "deaf all", OK);
    }

    @Override
    public CompletionStage<Void> undeafAll() {
        return command("undeaf all", "undeaf all", OK);
    }

    @Override
    public CompletionStage<Void> play(String file) {
        return play(file, -1);
    }

    @Override
    public CompletionStage<Void> play(List<String> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must not be empty");
        }
        CompletionStage<Void> done = CompletableFuture.completedFuture(null);
        for (String file : files) {
            done = done.thenCompose(x -> play(file));
        }
        return done;
    }

    @Override
    public CompletionStage<Void> play(String file, int memberId) {
        if (file.isBlank() || file.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("file must be non-blank without white space, was '" + file + "'");
        }
        String arguments = "play " + file + (memberId < 0 ? "" : " " + memberId);
        return leg.run("play " + file + " in " + name, () -> {
            // waiting before the command is sent: a short file's done event may beat the reply
            PendingPlay pending = new PendingPlay(file, memberId, new CompletableFuture<>());
            synchronized (plays) {
                plays.add(pending);
            }
            return leg.session().api("conference " + name + " " + arguments).thenCompose(body -> {
                if (!body.contains("Playing file")) {
                    synchronized (plays) {
                        plays.remove(pending);
                    }
                    throw new MediaException("play " + file + " in " + name + ": " + body.strip());
                }
                return pending.done;
            });
        });
    }

    @Override
    public CompletionStage<Void> startRecording(String file) {
        return command("start recording", "recording start " + file, Pattern.compile("Record file"));
    }

    @Override
    public CompletionStage<Void> pauseRecording(String file) {
        return command("pause recording", "recording pause " + file, Pattern.compile("Pause recording file"));
    }

    @Override
    public CompletionStage<Void> resumeRecording(String file) {
        return command("resume recording", "recording resume " + file, Pattern.compile("Resume recording file"));
    }

    @Override
    public CompletionStage<Void> stopRecording(String file) {
        return command("stop recording", "recording stop " + file, Pattern.compile("Stopped recording"));
    }

    @Override
    public CompletionStage<Void> lock() {
        return command("lock", "lock", OK);
    }

    @Override
    public CompletionStage<Void> unlock() {
        return command("unlock", "unlock", OK);
    }

    @Override
    public void onEvent(Consumer<ConferenceEvent> listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public CompletionStage<Void> destroy() {
        return leg.destroy();
    }

    @Override
    public String toString() {
        return "conference " + name + " (" + uuid + ")";
    }
}
