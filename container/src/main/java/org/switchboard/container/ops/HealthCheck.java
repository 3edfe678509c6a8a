package org.switchboard.container.ops;

import java.util.Objects;
import java.util.function.Supplier;

/** One part readiness depends on, by name: asked each time a report is made, so it must answer at once. */
public interface HealthCheck {

    /** What the part is ({@code drachtio}, {@code media 127.0.0.1:8021}), as the report names it. */
    String name();

    /** The part's state now. */
    Status check();

    /**
     * A part's state: up or not, and a line saying what it is (up) or what is wrong (down).
     *
     * @param up whether the part works
     * @param detail what it is when up, why not when down
     */
    record Status(boolean up, String detail) {
        public Status {
            Objects.requireNonNull(detail, "detail");
        }

        /** Up, with what it is. */
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        /** Down, with why. */
        public static Status down(String why) {
            return new Status(false, why);
        }
    }

    /** A check named {@code name} that asks {@code check}. */
    static HealthCheck of(String name, Supplier<Status> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Status check() {
                return check.get();
            }
        };
    }
}
