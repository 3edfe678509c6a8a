package org.switchboard.media.conference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;

/**
 * The {@code conference} api command: lists, member actions (mute, deaf, kick, volume, transfer), plays, locks and
 * recordings, each answered with mod_conference's reply text. Runs where api commands run (a connection's command
 * lane, the background executor for bgapi); what it changes on a member is volatile, read by the media clock and the
 * member's channel thread, which it wakes when the member must leave.
 */
final class ConferenceApi {

    private final Map<String, Conference> byName;
    private final Path sounds;
    private final Path recordings;

    ConferenceApi(Map<String, Conference> byName, Path sounds, Path recordings) {
        this.byName = byName;
        this.sounds = sounds;
        this.recordings = recordings;
    }

    /** Runs {@code conference <name> <command> [args]}; the reply text. */
    String run(String args) {
        String[] a = args.split(" ");
        if (args.isEmpty()) {
            return "-USAGE: conference <name> <command> [args]\n";
        }
        if (a[0].equalsIgnoreCase("list") && a.length == 1) {
            return byName.isEmpty() ? "No active conferences.\n" : String.join("\n", byName.keySet()) + "\n";
        }
        if (a[0].equalsIgnoreCase("json_list")) {
            return ConferenceJson.list(List.copyOf(byName.values()), a.length > 1 && a[1].equals("compact"));
        }
        String name = a[0];
        Conference c = byName.get(name);
        if (c == null) {
            return "-ERR Conference " + name + " not found\n";
        }
        String sub = a.length > 1 ? a[1].toLowerCase(Locale.ROOT) : "list";
        List<String> rest = Arrays.asList(a).subList(Math.min(a.length, 2), a.length);
        return switch (sub) {
            case "list" -> rest.contains("count") ? Integer.toString(c.size()) : list(c);
            case "count" -> Integer.toString(c.size());
            case "json_list" -> ConferenceJson.list(List.of(c), rest.contains("compact"));
            case "mute", "unmute", "deaf", "undeaf", "kick", "hup" -> memberAction(c, sub, rest);
            case "play" -> play(c, rest);
            case "stop" -> {
                c.play(null, null);
                yield "+OK Stopped\n";
            }
            case "lock", "unlock" -> {
                c.locked = sub.equals("lock");
                c.fire(c.conferenceEvent(sub, Map.of(), null));
                yield "+OK " + name + " " + sub + "ed\n";
            }
            case "transfer" -> transfer(c, rest);
            case "volume_in", "volume_out" -> volume(c, sub.equals("volume_in"), rest);
            case "get" -> get(c, rest);
            case "set" -> set(c, rest);
            case "recording", "record" -> recording(c, sub.equals("record") ? prepend("start", rest) : rest);
            case "norecord" -> recording(c, prepend("stop", rest));
            default -> "-ERR Conference command '" + sub + "' is not supported here\n";
        };
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    private static String list(Conference c) {
        StringBuilder out = new StringBuilder();
        for (Member m : c.members()) {
            out.append(m.id).append(';').append(m.channel.name()).append(';').append(m.channel.uuid()).append(";;;")
                    .append(m.deaf ? "" : "hear").append(m.muted ? "" : "|speak").append(";0;0;100;0\n");
        }
        return out.toString();
    }

    /** The members {@code all}, {@code last} or {@code non_moderator} name; empty for any other word (a member id). */
    private static Optional<List<Member>> byKeyword(Conference c, String target) {
        return switch (target) {
            case "all" -> Optional.of(c.members());
            case "last" -> Optional.of(c.members().isEmpty() ? List.of() : List.of(c.members().get(c.members().size() - 1)));
            case "non_moderator" -> Optional.of(c.members().stream().filter(m -> !m.moderator).toList());
            default -> Optional.empty();
        };
    }

    private String memberAction(Conference c, String action, List<String> rest) {
        if (rest.isEmpty()) {
            return "-ERR Invalid member ID\n";
        }
        String target = rest.get(0);
        List<Member> targets = byKeyword(c, target).orElse(null);
        if (targets == null) {
            int id;
            try {
                id = Integer.parseInt(target);
            } catch (NumberFormatException e) {
                return "-ERR Invalid member ID " + target + "\n";
            }
            Optional<Member> m = c.member(id);
            if (m.isEmpty()) {
                return "-ERR Non-Existant ID " + id + "\n";
            }
            targets = List.of(m.get());
        }
        StringBuilder out = new StringBuilder();
        for (Member m : targets) {
            String word = action;
            switch (action) {
                case "mute" -> m.muted = true;
                case "unmute" -> m.muted = false;
                case "deaf" -> m.deaf = true;
                case "undeaf" -> m.deaf = false;
                case "kick" -> {
                    m.leaveReason = "kick";
                    m.left = true;
                    m.channel.wake();
                    word = "kicked";
                }
                case "hup" -> {
                    m.leaveReason = "hup";
                    m.left = true;
                    m.channel.wake();
                    c.fire(c.memberEvent(m, "hup-member", Map.of(), null));
                }
                default -> throw new IllegalStateException(action);
            }
            if (!action.equals("kick") && !action.equals("hup")) {
                c.fire(c.memberEvent(m, action + "-member", Map.of(), null));
            }
            out.append("+OK ").append(word).append(' ').append(m.id).append('\n');
        }
        return out.length() == 0 ? "-ERR no members\n" : out.toString();
    }

    private String play(Conference c, List<String> rest) {
        if (rest.isEmpty()) {
            return "-ERR (play) no file\n";
        }
        String file = rest.get(0);
        Optional<Integer> memberId = Optional.empty();
        for (String r : rest.subList(1, rest.size())) {
            if (r.matches("\\d+")) {
                memberId = Optional.of(Integer.parseInt(r));
            }
        }
        AudioSource source;
        try {
            source = Sources.open(file, sounds, c.rate);
        } catch (IOException | RuntimeException e) {
            return "-ERR (play) File: " + file + " not found.\n";
        }
        if (memberId.isPresent()) {
            Optional<Member> m = c.member(memberId.get());
            if (m.isEmpty()) {
                return "-ERR (play) Member: " + memberId.get() + " not found.\n";
            }
            c.play(m.get(), source, file);
            c.fire(c.memberEvent(m.get(), "play-file-member", Map.of(), file));
            return "+OK (play) Playing file " + file + " to member " + memberId.get() + "\n";
        }
        c.play(source, file);
        c.fire(c.conferenceEvent("play-file", Map.of(), file));
        return "+OK (play) Playing file " + file + "\n";
    }

    /** {@code volume_in|volume_out <id|all|last|non_moderator> [level|up|down]}: -4..4, as mod_conference. */
    private static String volume(Conference c, boolean in, List<String> rest) {
        if (rest.isEmpty()) {
            return "-ERR Invalid member ID\n";
        }
        List<Member> targets = byKeyword(c, rest.get(0)).orElseGet(() -> {
            try {
                return c.member(Integer.parseInt(rest.get(0))).map(List::of).orElse(List.of());
            } catch (NumberFormatException e) {
                return List.of();
            }
        });
        if (targets.isEmpty()) {
            return "-ERR Non-Existant ID " + rest.get(0) + "\n";
        }
        StringBuilder out = new StringBuilder();
        for (Member m : targets) {
            int level = in ? m.volumeIn : m.volumeOut;
            if (rest.size() > 1) {
                String v = rest.get(1);
                if (v.equalsIgnoreCase("up")) {
                    level++;
                } else if (v.equalsIgnoreCase("down")) {
                    level--;
                } else {
                    try {
                        level = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        level = 0; // atoi of a word, as FreeSWITCH
                    }
                }
                level = Math.max(-4, Math.min(4, level));
                if (in) {
                    m.volumeIn = level;
                } else {
                    m.volumeOut = level;
                }
                c.fire(c.memberEvent(m, in ? "volume-in-member" : "volume-out-member",
                        Map.of("Volume-Level", Integer.toString(level))));
            }
            out.append("Volume ").append(in ? "IN " : "OUT ").append(m.id).append(" = ").append(level).append('\n');
        }
        return out.toString();
    }

    /** {@code transfer <new conference> <member id>...}: the members leave for the other conference. */
    private static String transfer(Conference c, List<String> rest) {
        if (rest.size() < 2) {
            return "-ERR usage: transfer <conference> <member id>\n";
        }
        StringBuilder out = new StringBuilder();
        for (String id : rest.subList(1, rest.size())) {
            Optional<Member> m;
            try {
                m = c.member(Integer.parseInt(id));
            } catch (NumberFormatException e) {
                m = Optional.empty();
            }
            if (m.isEmpty()) {
                out.append("-ERR No Member ").append(id).append(" in conference ").append(c.name).append(".\n");
                continue;
            }
            m.get().transferTo = rest.get(0);
            m.get().channel.wake();
            out.append("+OK Member '").append(id).append("' sent to conference ").append(rest.get(0)).append(".\n");
        }
        return out.toString();
    }

    private static String get(Conference c, List<String> rest) {
        String param = rest.isEmpty() ? "" : rest.get(0).toLowerCase(Locale.ROOT);
        return switch (param) {
            case "max_members" -> Integer.toString(c.maxMembers);
            case "count" -> Integer.toString(c.size());
            case "uuid" -> c.uuid;
            case "locked" -> Boolean.toString(c.locked);
            case "profile_name" -> c.profile;
            default -> "-ERR unknown parameter " + param + "\n";
        };
    }

    private static String set(Conference c, List<String> rest) {
        if (rest.size() < 2 || !rest.get(0).equalsIgnoreCase("max_members")) {
            return "-ERR only max_members can be set here\n";
        }
        int previous = c.maxMembers;
        try {
            c.maxMembers = Integer.parseInt(rest.get(1));
        } catch (NumberFormatException e) {
            return "-ERR max_members must be a number\n";
        }
        return Integer.toString(previous);
    }

    private String recording(Conference c, List<String> rest) {
        if (rest.size() < 2) {
            return "-USAGE: recording start|stop <file>\n";
        }
        String file = rest.get(1);
        Path path = Path.of(file).isAbsolute() ? Path.of(file) : recordings.resolve(file);
        switch (rest.get(0).toLowerCase(Locale.ROOT)) {
            case "start" -> {
                try {
                    c.startRecording(path);
                } catch (IOException e) {
                    return "-ERR cannot record to " + file + ": " + e.getMessage() + "\n";
                }
                c.fire(c.conferenceEvent("start-recording", Map.of("Path", path.toString()), null));
                return "+OK Record file " + file + "\n";
            }
            case "stop" -> {
                List<String> stopped = c.stopRecording(file.equals("all") ? "all" : path.toString());
                StringBuilder out = new StringBuilder();
                for (String s : stopped) {
                    c.fire(c.conferenceEvent("stop-recording", Map.of("Path", s), null));
                    // named as the caller named it (fsmrf looks for its own argument)
                    out.append("Stopped recording file ").append(file.equals("all") ? s : file).append('\n');
                }
                return out.append("+OK Stopped recording ").append(stopped.size()).append(" file")
                        .append(stopped.size() == 1 ? "" : "s").append('\n').toString();
            }
            case "pause", "resume" -> {
                boolean pause = rest.get(0).equalsIgnoreCase("pause");
                if (!c.pauseRecording(path.toString(), pause)) {
                    return "-ERR Unable to " + rest.get(0).toLowerCase(Locale.ROOT) + " recording file " + file + "\n";
                }
                c.fire(c.conferenceEvent(pause ? "pause-recording" : "resume-recording", Map.of("Path", path.toString()),
                        null));
                return "+OK " + (pause ? "Pause" : "Resume") + " recording file " + file + "\n";
            }
            default -> {
                return "-ERR recording " + rest.get(0) + " is not supported here\n";
            }
        }
    }
}
