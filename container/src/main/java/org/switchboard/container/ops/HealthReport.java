package org.switchboard.container.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A health report as the admin listener answers it: the HTTP status (200 when every part is up, 503 when one is not)
 * and a JSON body naming each part with its state, and the failing parts first in {@code failing}:
 * <pre>{"status":"DOWN","failing":["drachtio"],"checks":{"drachtio":{"status":"DOWN","detail":"not connected ..."},...}}</pre>
 *
 * @param httpStatus 200 or 503
 * @param json the body ({@code application/json})
 */
public record HealthReport(int httpStatus, String json) {

    /** The status of a report whose parts are all up. */
    public static final int UP = 200;
    /** The status of a report with a part down. */
    public static final int DOWN = 503;

    public HealthReport {
        Objects.requireNonNull(json, "json");
        if (httpStatus != UP && httpStatus != DOWN) {
            throw new IllegalArgumentException("a health report is 200 or 503, was " + httpStatus);
        }
    }

    /** Whether every part is up. */
    public boolean isUp() {
        return httpStatus == UP;
    }

    /** The report of {@code checks}, each asked once, in order. */
    static HealthReport of(List<HealthCheck> checks) {
        List<String> failing = new ArrayList<>();
        StringBuilder parts = new StringBuilder();
        for (HealthCheck c : checks) {
            HealthCheck.Status s;
            try {
                s = c.check();
            } catch (RuntimeException e) {
                s = HealthCheck.Status.down("the check failed: " + e);
            }
            if (!s.up()) {
                failing.add(c.name());
            }
            if (parts.length() > 0) {
                parts.append(',');
            }
            string(parts, c.name()).append(":{\"status\":").append(s.up() ? "\"UP\"" : "\"DOWN\"").append(",\"detail\":");
            string(parts, s.detail()).append('}');
        }
        StringBuilder json = new StringBuilder("{\"status\":").append(failing.isEmpty() ? "\"UP\"" : "\"DOWN\"");
        if (!failing.isEmpty()) {
            json.append(",\"failing\":[");
            for (int i = 0; i < failing.size(); i++) {
                string(json.append(i == 0 ? "" : ","), failing.get(i));
            }
            json.append(']');
        }
        json.append(",\"checks\":{").append(parts).append("}}");
        return new HealthReport(failing.isEmpty() ? UP : DOWN, json.toString());
    }

    /** Appends {@code text} as a JSON string. */
    private static StringBuilder string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
