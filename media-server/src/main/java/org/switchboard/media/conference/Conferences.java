package org.switchboard.media.conference;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Application;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.session.MediaClock;

/**
 * The conferences of one switch, with the {@code conference} application and api command. Member ids come from
 * one counter and are never reused while the process runs. This class joins and leaves members (on their channels'
 * threads); the api command is {@code ConferenceApi}. The conferences by name are a concurrent map.
 */
public final class Conferences {

    private static final Logger LOG = LoggerFactory.getLogger(Conferences.class);

    private final Core core;
    private final MediaClock clock;
    private final Path sounds;
    private final Path recordings;
    private final String domain;
    private final Map<String, Conference> byName = new ConcurrentHashMap<>();
    private final AtomicInteger memberIds = new AtomicInteger();

    /**
     * Conferences mixed on {@code clock}; files are played from {@code sounds}, recordings written under
     * {@code recordings}; {@code domain} is what events report as Conference-Domain.
     */
    public Conferences(Core core, MediaClock clock, Path sounds, Path recordings, String domain) {
        this.core = core;
        this.clock = clock;
        this.sounds = sounds;
        this.recordings = recordings;
        this.domain = domain;
    }

    /** The {@code conference} application: {@code name[@profile][+pin][+flags{f1|f2}]}; returns when the member leaves. */
    public Application application() {
        return this::join;
    }

    /** The {@code conference} api command. */
    public org.switchboard.media.esl.ApiCommand api() {
        ConferenceApi api = new ConferenceApi(byName, sounds, recordings);
        return (args, controlled) -> api.run(args);
    }

    // ---- join ---------------------------------------------------------------------------------------------------

    private String join(Channel channel, String arg) throws InterruptedException {
        String spec = arg.strip();
        Set<String> flags = new HashSet<>();
        int f = spec.indexOf("+flags{");
        if (f >= 0) {
            int close = spec.indexOf('}', f);
            String list = spec.substring(f + 7, close < 0 ? spec.length() : close);
            flags.addAll(Arrays.asList(list.split("\\|")));
            spec = spec.substring(0, f);
        }
        int plus = spec.indexOf('+');
        if (plus >= 0) {
            spec = spec.substring(0, plus); // a pin: members are not prompted for it here
        }
        String profile = "default";
        int at = spec.lastIndexOf('@');
        if (at > 0) {
            profile = spec.substring(at + 1);
            spec = spec.substring(0, at);
        }
        String name = spec;
        if (name.isEmpty()) {
            return "-ERR no conference name";
        }
        Member member = new Member(memberIds.incrementAndGet(), channel, flags);
        Optional<Conference> joined = attach(name, profile, member, true);
        if (joined.isEmpty()) {
            LOG.info("MS-CONF-002 {}: conference {} is locked or full", channel.uuid(), name);
            return "-ERR conference locked or full";
        }
        Conference c = joined.get();
        while (true) {
            Conference current = c;
            channel.await(() -> member.left || current.destroyed() || member.transferTo != null, -1);
            String to = member.transferTo;
            member.transferTo = null;
            if (to == null || member.left || current.destroyed() || channel.isHungUp()) {
                break;
            }
            leave(current, member, "transfer");
            current.fire(current.memberEvent(member, "transfer", Map.of("Old-Conference-Name", current.name,
                    "New-Conference-Name", to), null));
            c = attach(to, current.profile, member, false).orElseThrow();
        }
        leave(c, member, member.leaveReason);
        return "_none_";
    }

    /** Puts a member into a conference (made if it does not exist); empty when locked or full (and {@code checked}). */
    private Optional<Conference> attach(String name, String profile, Member member, boolean checked) {
        Conference conf;
        boolean created = false;
        synchronized (this) {
            conf = byName.get(name);
            if (conf == null) {
                conf = new Conference(core, name, profile, domain);
                byName.put(name, conf);
                created = true;
            }
            if (checked && (conf.locked || (conf.maxMembers > 0 && conf.size() >= conf.maxMembers))) {
                if (created) {
                    byName.remove(name, conf);
                }
                return Optional.empty();
            }
            conf.add(member);
        }
        Conference c = conf;
        if (created) {
            c.fire(c.conferenceEvent("conference-create", Map.of(), null));
            c.clockTask = clock.register(c::tick);
        }
        Channel channel = member.channel;
        member.tap = channel.tapAudio(frame -> c.heard(member, frame));
        channel.background(c.sourceFor(member));
        channel.set("conference_name", name);
        channel.set("conference_uuid", c.uuid);
        channel.set("conference_member_id", Integer.toString(member.id));
        c.fire(c.memberEvent(member, "add-member", Map.of(), null));
        return Optional.of(c);
    }

    private void leave(Conference c, Member member, String reason) {
        Channel channel = member.channel;
        channel.background(null);
        try {
            member.tap.close();
        } catch (Exception e) {
            LOG.debug("removing a conference tap", e);
        }
        boolean last;
        boolean endconf;
        synchronized (this) {
            c.remove(member);
            last = c.size() == 0;
            endconf = member.endconf && c.members().stream().noneMatch(m -> m.endconf);
        }
        if ("kick".equals(reason)) {
            c.fire(c.memberEvent(member, "kick-member", Map.of(), null));
        }
        c.fire(c.memberEvent(member, "del-member", Map.of(), null));
        if ("hup".equals(reason)) {
            channel.hangup("NORMAL_CLEARING");
        }
        if (last || endconf) {
            destroy(c);
        }
    }

    private void destroy(Conference c) {
        synchronized (this) {
            if (c.destroyed()) {
                return;
            }
            c.markDestroyed();
            byName.remove(c.name, c);
        }
        try {
            c.clockTask.close();
        } catch (Exception e) {
            LOG.debug("stopping a conference's clock task", e);
        }
        for (Member m : c.members()) {
            m.left = true; // back to park: their conference application returns
            m.channel.wake();
        }
        c.fire(c.conferenceEvent("conference-destroy", Map.of(), null));
    }
}
