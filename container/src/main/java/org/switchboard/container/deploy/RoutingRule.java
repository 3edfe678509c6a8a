package org.switchboard.container.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/**
 * Which new requests an application takes: methods (empty: those its observers select), regular expressions
 * the whole Request-URI user and host must match (absent: any), and a priority (higher wins). Read from the
 * archive's {@code switchboard.properties} ({@code routing.methods}, {@code routing.user}, {@code routing.host},
 * {@code routing.priority}) and overridable in the container configuration.
 *
 * @param methods upper-case methods, empty for the observed ones
 * @param user pattern for the Request-URI user
 * @param host pattern for the Request-URI host
 * @param priority the higher, the earlier the rule is tried
 */
public record RoutingRule(Set<String> methods, Optional<Pattern> user, Optional<Pattern> host, int priority) {

    /** Reads {@code routing.*} keys from {@code props}. */
    static RoutingRule from(Properties props) {
        String methods = props.getProperty("routing.methods", "").trim();
        return new RoutingRule(methods.isEmpty() ? Set.of()
                : Arrays.stream(methods.split("[,\\s]+")).map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
                pattern(props.getProperty("routing.user")), pattern(props.getProperty("routing.host")),
                Integer.parseInt(props.getProperty("routing.priority", "0").trim()));
    }

    private static Optional<Pattern> pattern(String p) {
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Pattern.compile(p.trim()));
    }

    /** Whether {@code request}, of one of {@code effectiveMethods}, falls under this rule. */
    boolean matches(SipRequest request, Set<String> effectiveMethods) {
        if (!effectiveMethods.contains(request.method()) && !effectiveMethods.contains("*")) {
            return false;
        }
        if (user.isEmpty() && host.isEmpty()) {
            return true;
        }
        if (!(request.requestUri() instanceof SipUri uri)) {
            return false;
        }
        return user.map(p -> p.matcher(uri.user().orElse("")).matches()).orElse(true)
                && host.map(p -> p.matcher(uri.host()).matches()).orElse(true);
    }

    /**
     * Why both rules could take one request with nothing to choose between them, empty when they cannot: they
     * overlap when their priorities are equal, their methods intersect ({@code myMethods} and {@code otherMethods}, the
     * effective ones; {@code *} intersects every set), and their user patterns can both match one user and their
     * host patterns one host (an absent pattern matches any). Patterns are compared by the texts they match
     * ({@link PatternOverlap}): {@code 1.*} and {@code 12.*} overlap, {@code uas.*} and {@code b2b.*} do not; a pattern
     * whose texts cannot be worked out counts as overlapping.
     */
    Optional<String> conflictWith(RoutingRule other, Set<String> myMethods, Set<String> otherMethods) {
        if (priority != other.priority) {
            return Optional.empty();
        }
        Set<String> shared = myMethods.contains("*") ? otherMethods : otherMethods.contains("*") ? myMethods
                : myMethods.stream().filter(otherMethods::contains).collect(Collectors.toCollection(java.util.TreeSet::new));
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> users = overlap("user", user, other.user);
        Optional<String> hosts = users.isEmpty() ? Optional.empty() : overlap("host", host, other.host);
        return hosts.map(h -> "both take " + String.join(",", new java.util.TreeSet<>(shared)) + " at priority " + priority
                + " for " + users.get() + " and " + h);
    }

    /** How both patterns can match one text (absent: any text), empty when they cannot. */
    private static Optional<String> overlap(String part, Optional<Pattern> a, Optional<Pattern> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return Optional.of("any " + part);
        }
        if (a.isEmpty() || b.isEmpty()) {
            Pattern p = a.orElseGet(b::get);
            return Optional.of("any " + part + " matching " + p);
        }
        PatternOverlap.Result r = PatternOverlap.of(a.get(), b.get());
        return switch (r.verdict()) {
            case DISJOINT -> Optional.empty();
            case OVERLAP -> Optional.of(part + " '" + r.example().orElseThrow() + "'");
            case UNKNOWN -> Optional.of(part + " patterns " + a.get() + " and " + b.get()
                    + " (not proven apart: flags, look-around or back references)");
        };
    }

    @Override
    public String toString() {
        return "methods=" + (methods.isEmpty() ? "(observed)" : methods) + user.map(p -> " user=" + p).orElse("")
                + host.map(p -> " host=" + p).orElse("") + " priority=" + priority;
    }
}
