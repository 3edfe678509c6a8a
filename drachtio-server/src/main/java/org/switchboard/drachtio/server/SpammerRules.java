package org.switchboard.drachtio.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.uri.SipUri;

/**
 * drachtio-server's {@code <spammers>} rules: a new request whose User-Agent contains one of the values listed for
 * it, or whose To or From URI has a user part containing one, is refused before any app sees it: answered 603
 * Decline ({@link RefusalMode#REJECT}) or dropped unanswered ({@link RefusalMode#DISCARD}), with a mode of its own
 * for stream transports (drachtio's {@code tcp-action}). Values match as plain substrings, case-sensitive, as in
 * drachtio-server. docs/drachtio.md describes the file syntax.
 *
 * @param values header name (User-Agent, To or From) to the values that mark a request as spam
 * @param datagramMode what happens to a request that matches over UDP
 * @param streamMode what happens to one that matches over TCP, TLS, WS or WSS
 */
public record SpammerRules(Map<String, List<String>> values, RefusalMode datagramMode, RefusalMode streamMode) {

    /** No rules. */
    public static final SpammerRules NONE = new SpammerRules(Map.of(), RefusalMode.REJECT, RefusalMode.REJECT);

    public SpammerRules {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((header, list) -> copy.put(headerName(header), List.copyOf(list)));
        values = java.util.Collections.unmodifiableMap(copy);
        Objects.requireNonNull(datagramMode, "datagramMode");
        Objects.requireNonNull(streamMode, "streamMode");
    }

    /**
     * The {@code <sip><spammers>} section of a drachtio-server configuration file ({@link #NONE} when it has none).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SpammerRules fromConfigFile(Path file) {
        return ConfigFile.read(file).spammers();
    }

    /** These rules with {@code header}'s values replaced by {@code list}. */
    public SpammerRules with(String header, List<String> list) {
        Map<String, List<String>> more = new LinkedHashMap<>(values);
        more.put(headerName(header), list);
        return new SpammerRules(more, datagramMode, streamMode);
    }

    /** Whether there are no rules. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** How a request that matches is refused when it came over {@code transport}. */
    public RefusalMode mode(Transport transport) {
        return transport == Transport.UDP ? datagramMode : streamMode;
    }

    /** The header value that marks {@code request} as spam, if any. */
    public Optional<String> match(SipRequest request) {
        for (Map.Entry<String, List<String>> rule : values.entrySet()) {
            String value = switch (rule.getKey()) {
                case "User-Agent" -> request.header(HeaderNames.USER_AGENT).orElse("");
                case "To" -> request.to().uri() instanceof SipUri u ? u.user().orElse("") : "";
                default -> request.from().uri() instanceof SipUri u ? u.user().orElse("") : "";
            };
            if (!value.isEmpty() && rule.getValue().stream().anyMatch(value::contains)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static String headerName(String header) {
        return switch (header.toLowerCase(java.util.Locale.ROOT)) {
            case "user-agent" -> "User-Agent";
            case "to" -> "To";
            case "from" -> "From";
            default -> throw new IllegalArgumentException("spammer rules look at User-Agent, To or From, not " + header);
        };
    }
}
