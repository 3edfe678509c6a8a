package org.switchboard.sip.uri;

import java.util.Objects;

/**
 * A {@code tel:} URI (RFC 3966): a telephone number, global ({@code +} and digits) or local, with
 * parameters such as {@code phone-context}.
 */
public final class TelUri implements Uri {

    private final String number;
    private final Parameters parameters;
    private final String text;

    TelUri(String number, Parameters parameters, String text) {
        this.number = number;
        this.parameters = parameters;
        this.text = text;
    }

    /** A tel URI for a number, such as {@code +1-201-555-0123}. */
    public static TelUri of(String number, Parameters parameters) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(parameters, "parameters");
        return (TelUri) UriParser.parse("tel:" + number + parameters, "tel URI");
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** The number as written, visual separators included. */
    public String number() {
        return number;
    }

    /** Whether the number is global (starts with {@code +}). */
    public boolean isGlobal() {
        return number.startsWith("+");
    }

    /** The parameters. */
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Equal when the numbers are equal without visual separators and the parameters are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TelUri other
                && digits(number).equalsIgnoreCase(digits(other.number))
                && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return digits(number).toLowerCase(java.util.Locale.ROOT).hashCode();
    }

    private static String digits(String n) {
        StringBuilder out = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
