package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reorders an SDP offer's payload types by codec preference, so that the answerer picks the preferred codec. */
final class CodecOrder {

    private static final Pattern RTPMAP = Pattern.compile("^a=rtpmap:(\\d+)\\s+([^/\\s]+)");
    /** Static payload types an offer may list without an rtpmap. */
    private static final Map<String, String> STATIC = Map.of("0", "PCMU", "3", "GSM", "8", "PCMA", "9", "G722",
            "18", "G729");

    private CodecOrder() {
    }

    /**
     * {@code sdp} with each m-line's payload types sorted by the position of their codec in {@code codecs}
     * (case-insensitive); payload types of codecs not named keep their order after the named ones.
     */
    static String preferring(String sdp, List<String> codecs) {
        if (codecs.isEmpty()) {
            return sdp;
        }
        List<String> wanted = codecs.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = sdp.split("\r?\n", -1);
        Map<String, String> names = new HashMap<>(STATIC);
        for (String line : lines) {
            Matcher m = RTPMAP.matcher(line);
            if (m.find()) {
                names.put(m.group(1), m.group(2).toUpperCase(Locale.ROOT));
            }
        }
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            if (!lines[i].startsWith("m=") || f.length < 4) {
                continue;
            }
            List<String> payloads = new ArrayList<>(List.of(f).subList(3, f.length));
            // a stable sort: the payloads of one rank keep their order
            payloads.sort(Comparator.comparingInt(pt -> {
                int rank = wanted.indexOf(names.getOrDefault(pt, ""));
                return rank < 0 ? Integer.MAX_VALUE : rank;
            }));
            lines[i] = String.join(" ", f[0], f[1], f[2]) + " " + String.join(" ", payloads);
        }
        return String.join(eol, lines);
    }
}
