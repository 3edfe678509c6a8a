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
     * Whether both rules could take the same request with nothing to choose between them: equal priority,
     * shared methods, and user and host patterns each equal or absent on one side.
     */
    boolean conflictsWith(RoutingRule other, Set<String> myMethods, Set<String> otherMethods) {
        if (priority != other.priority) {
            return false;
        }
        boolean sharedMethod = myMethods.contains("*") || otherMethods.contains("*")
                || myMethods.stream().anyMatch(otherMethods::contains);
        return sharedMethod && overlaps(user, other.user) && overlaps(host, other.host);
    }

    private static boolean overlaps(Optional<Pattern> a, Optional<Pattern> b) {
        return a.isEmpty() || b.isEmpty() || a.get().pattern().equals(b.get().pattern());
    }

    @Override
    public String toString() {
        return "methods=" + (methods.isEmpty() ? "(observed)" : methods) + user.map(p -> " user=" + p).orElse("")
                + host.map(p -> " host=" + p).orElse("") + " priority=" + priority;
    }
}
