package org.switchboard.sip.message;

import java.util.Locale;
import java.util.Map;

/**
 * Header names: comparison that ignores case and understands the compact forms of RFC 3261
 * section 7.3.3 and its extensions ({@code i} is {@code Call-ID}, {@code v} is {@code Via}, ...).
 */
public final class HeaderNames {

    public static final String ACCEPT = "Accept";
    public static final String ALLOW = "Allow";
    public static final String AUTHORIZATION = "Authorization";
    public static final String CALL_ID = "Call-ID";
    public static final String CONTACT = "Contact";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String CSEQ = "CSeq";
    public static final String EXPIRES = "Expires";
    public static final String FROM = "From";
    public static final String MAX_FORWARDS = "Max-Forwards";
    public static final String PROXY_REQUIRE = "Proxy-Require";
    public static final String RECORD_ROUTE = "Record-Route";
    public static final String REQUIRE = "Require";
    public static final String ROUTE = "Route";
    public static final String SERVER = "Server";
    public static final String SUPPORTED = "Supported";
    public static final String TO = "To";
    public static final String UNSUPPORTED = "Unsupported";
    public static final String USER_AGENT = "User-Agent";
    public static final String VIA = "Via";

    // compact form letter -> full name (RFC 3261 7.3.3, 3265, 3515, 3841, 3892, 4028, 4474, 3903)
    private static final String[] COMPACT = new String[26];
    private static final Map<String, String> CANONICAL;

    static {
        String[][] pairs = {
            {"a", "Accept-Contact"}, {"b", "Referred-By"}, {"c", CONTENT_TYPE}, {"d", "Request-Disposition"},
            {"e", "Content-Encoding"}, {"f", FROM}, {"i", CALL_ID}, {"j", "Reject-Contact"},
            {"k", SUPPORTED}, {"l", CONTENT_LENGTH}, {"m", CONTACT}, {"n", "Identity-Info"},
            {"o", "Event"}, {"r", "Refer-To"}, {"s", "Subject"}, {"t", TO}, {"u", "Allow-Events"},
            {"v", VIA}, {"x", "Session-Expires"}, {"y", "Identity"},
        };
        for (String[] p : pairs) {
            COMPACT[p[0].charAt(0) - 'a'] = p[1];
        }
        String[] known = {ACCEPT, ALLOW, AUTHORIZATION, CALL_ID, CONTACT, CONTENT_LENGTH, CONTENT_TYPE, CSEQ,
            EXPIRES, FROM, MAX_FORWARDS, PROXY_REQUIRE, RECORD_ROUTE, REQUIRE, ROUTE, SERVER, SUPPORTED, TO,
            UNSUPPORTED, USER_AGENT, VIA, "WWW-Authenticate", "Proxy-Authenticate", "Proxy-Authorization",
            "RSeq", "RAck", "Min-SE", "Session-Expires", "Refer-To", "Referred-By", "Event", "Subject",
            "Allow-Events", "Subscription-State", "Content-Encoding", "Content-Disposition", "Min-Expires",
            "Accept-Contact", "Reject-Contact", "Request-Disposition", "Identity", "Identity-Info"};
        Map<String, String> canonical = new java.util.HashMap<>();
        for (String name : known) {
            canonical.put(name.toLowerCase(Locale.ROOT), name);
        }
        CANONICAL = Map.copyOf(canonical);
    }

    private HeaderNames() {
    }

    /** The full name a compact form stands for, or the name itself. */
    public static String expand(String name) {
        if (name.length() == 1) {
            char c = Character.toLowerCase(name.charAt(0));
            if (c >= 'a' && c <= 'z' && COMPACT[c - 'a'] != null) {
                return COMPACT[c - 'a'];
            }
        }
        return name;
    }

    /** The usual spelling of a header name ({@code call-id} and {@code i} give {@code Call-ID}). */
    public static String canonical(String name) {
        String full = expand(name);
        return CANONICAL.getOrDefault(full.toLowerCase(Locale.ROOT), full);
    }

    /** Whether two header names mean the same header. */
    public static boolean matches(String a, String b) {
        if (a.length() == b.length()) {
            return a.equalsIgnoreCase(b);
        }
        if (a.length() == 1) {
            return expand(a).equalsIgnoreCase(b);
        }
        return b.length() == 1 && expand(b).equalsIgnoreCase(a);
    }
}
