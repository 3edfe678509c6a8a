package org.switchboard.sip.media;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How an endpoint joins a conference: the conference profile, a PIN, and member flags by FreeSWITCH's names
 * ({@code mute}, {@code deaf}, {@code moderator}, {@code endconf}, {@code join-only}, ...).
 *
 * @param profile the conference profile, empty for the server's {@code default}
 * @param pin the conference PIN, empty for none
 * @param flags the member flags
 */
public record JoinOptions(Optional<String> profile, Optional<String> pin, Set<String> flags) {

    /** Default profile, no PIN, no flags. */
    public static final JoinOptions NONE = new JoinOptions(Optional.empty(), Optional.empty(), Set.of());

    /** Checks every part is one token of the {@code conference} application's argument. */
    public JoinOptions {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(pin, "pin");
        profile.ifPresent(p -> token("profile", p));
        pin.ifPresent(p -> token("pin", p));
        flags = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(flags));
        flags.forEach(f -> token("flags", f));
    }

    /** Options with these member flags. */
    public static JoinOptions flags(String... flags) {
        return new JoinOptions(Optional.empty(), Optional.empty(), new LinkedHashSet<>(java.util.List.of(flags)));
    }

    /** These options with more member flags. */
    public JoinOptions withFlags(String... more) {
        Set<String> all = new LinkedHashSet<>(flags);
        all.addAll(java.util.List.of(more));
        return new JoinOptions(profile, pin, all);
    }

    /** These options with a PIN. */
    public JoinOptions withPin(String pin) {
        return new JoinOptions(profile, Optional.of(pin), flags);
    }

    /** These options with a conference profile. */
    public JoinOptions withProfile(String profile) {
        return new JoinOptions(Optional.of(profile), pin, flags);
    }

    private static void token(String field, String value) {
        if (!value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(field + " must be letters, digits, '_', '.' or '-', was '" + value + "'");
        }
    }
}
