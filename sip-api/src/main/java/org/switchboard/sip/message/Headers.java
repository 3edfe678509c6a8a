package org.switchboard.sip.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The headers of a message, in order. Names compare case-insensitively and compact forms match their
 * full names. A header may appear on several lines and, for headers whose grammar is a list (Via,
 * Contact, Route, Allow, ...), hold several comma-separated values on one line: {@link #values}
 * gives those values one by one. Immutable; {@link #toBuilder()} makes a changed copy.
 */
public final class Headers implements Iterable<Header> {

    private static final Headers EMPTY = new Headers(List.of());

    // headers whose grammar is a comma-separated list (RFC 3261 7.3.1 and extensions)
    private static final Set<String> LISTS = Set.of("via", "contact", "route", "record-route", "allow",
            "supported", "require", "proxy-require", "unsupported", "accept", "accept-encoding",
            "accept-language", "allow-events", "content-encoding", "content-language", "path",
            "service-route", "warning", "alert-info", "call-info", "error-info", "in-reply-to",
            "accept-contact", "reject-contact", "request-disposition", "p-asserted-identity",
            "p-preferred-identity", "history-info", "reason", "security-client", "security-server",
            "security-verify", "privacy");

    private final List<Header> list;

    private Headers(List<Header> list) {
        this.list = list;
    }

    /** No headers. */
    public static Headers of() {
        return EMPTY;
    }

    static Headers wrap(List<Header> list) {
        return new Headers(Collections.unmodifiableList(list));
    }

    /** A builder for new headers. */
    public static Builder builder() {
        return new Builder(new ArrayList<>());
    }

    /** A builder that starts from these headers. */
    public Builder toBuilder() {
        return new Builder(new ArrayList<>(list));
    }

    /** The value of the first line of that header. */
    public Optional<String> first(String name) {
        for (Header h : list) {
            if (h.is(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** The value of each line of that header, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (Header h : list) {
            if (h.is(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    /**
     * Every value of that header in order: each line, and for list headers each comma-separated
     * element of each line (commas inside quotes and angle brackets do not separate).
     */
    public List<String> values(String name) {
        boolean split = isList(name);
        List<String> out = new ArrayList<>(2);
        for (Header h : list) {
            if (h.is(name)) {
                if (split) {
                    Grammar.splitList(h.value(), out);
                } else {
                    out.add(h.value());
                }
            }
        }
        return out;
    }

    /** Whether the header's grammar is a comma-separated list. */
    public static boolean isList(String name) {
        return LISTS.contains(HeaderNames.expand(name).toLowerCase(Locale.ROOT));
    }

    /** Whether at least one line of that header is present. */
    public boolean contains(String name) {
        for (Header h : list) {
            if (h.is(name)) {
                return true;
            }
        }
        return false;
    }

    /** How many lines of that header are present. */
    public int count(String name) {
        int n = 0;
        for (Header h : list) {
            if (h.is(name)) {
                n++;
            }
        }
        return n;
    }

    /** All header lines, in order. */
    public List<Header> asList() {
        return list;
    }

    /** The number of header lines. */
    public int size() {
        return list.size();
    }

    @Override
    public Iterator<Header> iterator() {
        return list.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && list.equals(other.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Header h : list) {
            out.append(h).append("\r\n");
        }
        return out.toString();
    }

    /** Builds {@link Headers}: adds, replaces and removes header lines, keeping the order of the rest. */
    public static final class Builder {
        private final List<Header> list;

        private Builder(List<Header> list) {
            this.list = list;
        }

        /** Appends a header line. */
        public Builder add(String name, String value) {
            list.add(Header.of(name, value));
            return this;
        }

        /** Appends a header line. */
        public Builder add(Header header) {
            list.add(Objects.requireNonNull(header, "header"));
            return this;
        }

        /** Puts a header line before every other line of the same header (or last if there is none). */
        public Builder addFirst(String name, String value) {
            Header header = Header.of(name, value);
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).is(name)) {
                    list.add(i, header);
                    return this;
                }
            }
            list.add(header);
            return this;
        }

        /** Replaces every line of that header with one line holding {@code value}, where the first one was. */
        public Builder set(String name, String value) {
            Header header = Header.of(name, value);
            int at = -1;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).is(name)) {
                    list.remove(i);
                    at = i;
                }
            }
            if (at < 0) {
                list.add(header);
            } else {
                list.add(at, header);
            }
            return this;
        }

        /** Removes every line of that header. */
        public Builder remove(String name) {
            list.removeIf(h -> h.is(name));
            return this;
        }

        /** Removes the first line of that header. */
        public Builder removeFirst(String name) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).is(name)) {
                    list.remove(i);
                    break;
                }
            }
            return this;
        }

        /** The headers. */
        public Headers build() {
            return list.isEmpty() ? EMPTY : wrap(new ArrayList<>(list));
        }
    }
}
