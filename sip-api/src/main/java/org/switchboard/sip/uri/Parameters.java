package org.switchboard.sip.uri;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ordered list of {@code ;name=value} parameters, as found on URIs and header values.
 *
 * <p>Names compare case-insensitively; values are kept exactly as written (escaped or quoted).
 * A parameter without {@code =value} (such as {@code lr}) is a flag: it is {@linkplain #contains
 * present} and its value is empty. Immutable; the {@code with} and {@code without} methods return
 * new lists.
 */
public final class Parameters {

    private static final Parameters EMPTY = new Parameters(List.of());

    private final List<Parameter> list;

    private Parameters(List<Parameter> list) {
        this.list = list;
    }

    /** A parameter: a name and, unless it is a flag, a value as written. */
    public record Parameter(String name, Optional<String> value) {
        public Parameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return value.map(v -> name + "=" + v).orElse(name);
        }
    }

    /** The empty list. */
    public static Parameters of() {
        return EMPTY;
    }

    /** Parameters from name, value pairs; a {@code null} value makes a flag. */
    public static Parameters of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Parameters result = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            result = result.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return result;
    }

    /** Parameters holding these, in order (duplicates kept). */
    public static Parameters copyOf(List<Parameter> list) {
        return list.isEmpty() ? EMPTY : new Parameters(List.copyOf(list));
    }

    /** The value of the first parameter with that name; empty for a flag or when absent. */
    public Optional<String> get(String name) {
        for (Parameter p : list) {
            if (p.name.equalsIgnoreCase(name)) {
                return p.value;
            }
        }
        return Optional.empty();
    }

    /** Whether a parameter with that name is present, with or without a value. */
    public boolean contains(String name) {
        for (Parameter p : list) {
            if (p.name.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** These parameters with {@code name} set to {@code value} ({@code null} for a flag), in place if present. */
    public Parameters with(String name, String value) {
        Objects.requireNonNull(name, "name");
        Parameter replacement = new Parameter(name, Optional.ofNullable(value));
        List<Parameter> copy = new ArrayList<>(list.size() + 1);
        boolean replaced = false;
        for (Parameter p : list) {
            if (!replaced && p.name.equalsIgnoreCase(name)) {
                copy.add(replacement);
                replaced = true;
            } else {
                copy.add(p);
            }
        }
        if (!replaced) {
            copy.add(replacement);
        }
        return copyOf(copy);
    }

    /** These parameters without any named {@code name}. */
    public Parameters without(String name) {
        List<Parameter> copy = new ArrayList<>(list.size());
        for (Parameter p : list) {
            if (!p.name.equalsIgnoreCase(name)) {
                copy.add(p);
            }
        }
        return copy.size() == list.size() ? this : copyOf(copy);
    }

    /** All parameters, in order. */
    public List<Parameter> asList() {
        return list;
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** The number of parameters. */
    public int size() {
        return list.size();
    }

    /** Appends {@code ;name=value} for each parameter. */
    public void appendTo(StringBuilder out) {
        for (Parameter p : list) {
            out.append(';').append(p.name);
            p.value.ifPresent(v -> out.append('=').append(v));
        }
    }

    /** The parameters as {@code ;a=b;c}, or the empty string. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendTo(out);
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters other && list.equals(other.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }
}
