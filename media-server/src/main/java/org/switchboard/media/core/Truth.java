package org.switchboard.media.core;

import java.util.Locale;

/** How FreeSWITCH reads a yes/no setting (its {@code switch_true}), for variables and api arguments alike. */
public final class Truth {

    private Truth() {
    }

    /** yes, on, true, t, enable(d), active, allow, or a number other than 0; anything else is false. */
    public static boolean isTrue(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "yes", "on", "true", "t", "enable", "enabled", "active", "allow" -> true;
            default -> v.matches("-?\\d+") && !v.matches("-?0+");
        };
    }
}
