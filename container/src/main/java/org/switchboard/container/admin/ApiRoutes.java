package org.switchboard.container.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.Fields;
import org.switchboard.container.deploy.Deployer;
import org.switchboard.container.sip.CallCaptures;
import org.switchboard.container.sip.CallSummary;
import org.switchboard.container.sip.CapturedEvent;
import org.switchboard.mrf.status.Lateness;

/**
 * The admin API's routes, JSON in and out (docs/container.md lists them):
 * <ul>
 * <li>{@code GET /api/calls?offset=&limit=} the calls in progress, a page, and {@code GET /api/calls/ended} the
 * recently ended ones;</li>
 * <li>{@code GET /api/calls/{Call-ID}} one call's ladder; {@code DELETE /api/calls/{Call-ID}} hangs it up;</li>
 * <li>{@code GET /api/deployments}; {@code PUT /api/deployments/{name.war|name.jar}} with the archive as body deploys it;
 * {@code DELETE /api/deployments/{name}} undeploys;</li>
 * <li>{@code GET /api/media?limit=} the media servers, their load and media clock, their conferences and a page of their
 * channels ({@link MediaView}); {@code GET /api/settings} the settings in effect (secrets masked); {@code GET /api/stats}
 * the counters the live events carry.</li>
 * </ul>
 */
final class ApiRoutes {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    // a deployment waits this long for its archive to run
    private static final Duration DEPLOY_WITHIN = Duration.ofSeconds(60);
    private static final long MAX_ARCHIVE_BYTES = 512L << 20;
    private static final Pattern ARCHIVE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}\\.(war|jar)");
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    private static final JsonFactory JSON = new JsonFactory();

    private final AdminSources sources;
    private final MediaView media;
    private final MediaWatch clocks;

    /** What a route answers. */
    record Reply(int status, String json) {
    }

    /** A request body, opened only by the routes that take one. */
    @FunctionalInterface
    interface Body {
        InputStream open() throws IOException;
    }

    /** Writes the fields of a JSON object. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    ApiRoutes(AdminSources sources, MediaWatch clocks) {
        this.sources = sources;
        this.media = new MediaView(sources, clocks);
        this.clocks = clocks;
    }

    Reply handle(String method, String path, Fields query, Body body) {
        try {
            return route(method, path, query, body);
        } catch (IOException e) {
            return error(500, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "interrupted");
        }
    }

    private Reply route(String method, String path, Fields query, Body body) throws IOException, InterruptedException {
        boolean get = method.equals("GET");
        if (path.equals("/api/calls") && get) {
            return calls(query);
        }
        if (path.equals("/api/calls/ended") && get) {
            return ok(g -> callList(g, sources.sip().captures().ended()));
        }
        if (path.startsWith("/api/calls/")) {
            String callId = decode(path.substring("/api/calls/".length()));
            return switch (method) {
                case "GET" -> call(callId);
                case "DELETE" -> sources.sip().hangUp(callId, "Hung up from the Switchboard console")
                        ? ok(g -> g.writeStringField("hungUp", callId)) : error(404, "no call in progress with Call-ID " + callId);
                default -> error(405, "GET or DELETE");
            };
        }
        if (path.equals("/api/deployments") && get) {
            return ok(this::deployments);
        }
        if (path.startsWith("/api/deployments/")) {
            String name = decode(path.substring("/api/deployments/".length()));
            return switch (method) {
                case "PUT", "POST" -> deploy(name, body);
                case "DELETE" -> undeploy(name);
                default -> error(405, "PUT or DELETE");
            };
        }
        if (path.equals("/api/media") && get) {
            return ok(g -> media.write(g, number(query, "limit", MediaView.DEFAULT_CHANNELS, MAX_PAGE)));
        }
        if (path.equals("/api/settings") && get) {
            return ok(g -> {
                g.writeObjectFieldStart("settings");
                for (Map.Entry<String, String> e : sources.settings().get().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            });
        }
        if (path.equals("/api/stats") && get) {
            return ok(g -> stats(g, sources, clocks));
        }
        return error(404, "no route " + method + " " + path);
    }

    private Reply calls(Fields query) {
        int offset = number(query, "offset", 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_PAGE, MAX_PAGE);
        List<CallSummary> all = sources.sip().callsInProgress().stream()
                .sorted(java.util.Comparator.comparing(CallSummary::started).reversed().thenComparing(CallSummary::callId)).toList();
        List<CallSummary> page = all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit));
        return ok(g -> {
            g.writeNumberField("total", all.size());
            g.writeNumberField("offset", offset);
            callList(g, page);
        });
    }

    private static int number(Fields query, String name, int fallback, int max) {
        String v = query.getValue(name);
        try {
            return v == null ? fallback : Math.max(0, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void callList(JsonGenerator g, List<CallSummary> calls) throws IOException {
        g.writeArrayFieldStart("calls");
        for (CallSummary c : calls) {
            g.writeStartObject();
            summary(g, c);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void summary(JsonGenerator g, CallSummary c) throws IOException {
        g.writeStringField("callId", c.callId());
        g.writeStringField("started", c.started().toString());
        g.writeStringField("state", c.state());
        g.writeStringField("application", c.application());
        g.writeArrayFieldStart("legs");
        for (String leg : c.legs()) {
            g.writeString(leg);
        }
        g.writeEndArray();
        g.writeNumberField("messages", c.messages());
    }

    private Reply call(String callId) {
        CallCaptures captures = sources.sip().captures();
        Optional<List<CapturedEvent>> events = captures.events(callId);
        if (events.isEmpty()) {
            return error(404, "no call in progress or recently ended with Call-ID " + callId);
        }
        Optional<CallSummary> summary = sources.sip().callsInProgress().stream().filter(c -> c.callId().equals(callId)).findFirst()
                .or(() -> captures.ended().stream().filter(c -> c.callId().equals(callId)).findFirst());
        return ok(g -> {
            if (summary.isPresent()) {
                summary(g, summary.get());
            } else {
                g.writeStringField("callId", callId);
            }
            g.writeArrayFieldStart("events");
            for (CapturedEvent e : events.get()) {
                g.writeStartObject();
                g.writeStringField("at", e.at().toString());
                g.writeNumberField("micros", e.at().getEpochSecond() * 1_000_000L + e.at().getNano() / 1000);
                g.writeStringField("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("peer", e.peer());
                g.writeStringField("label", e.label());
                g.writeStringField("text", e.text());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void deployments(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("deployments");
        for (Deployer.Status s : sources.deployer().status()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("version", s.version());
            g.writeStringField("routing", s.routing());
            g.writeStringField("state", s.draining() ? "draining" : "active");
            g.writeNumberField("calls", s.calls());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private Reply deploy(String archive, Body body) throws IOException, InterruptedException {
        if (!ARCHIVE.matcher(archive).matches()) {
            return error(400, "the archive's name must be NAME.war or NAME.jar (letters, digits, '.', '_', '-'), not " + archive);
        }
        Path folder = sources.deployer().folder();
        Files.createDirectories(folder);
        // written beside under a name the scanner ignores, then moved in whole
        Path upload = Files.createTempFile(folder, "." + archive + "-", ".upload");
        try {
            try (InputStream in = body.open()) {
                long copied = copy(in, upload);
                if (copied == 0) {
                    return error(400, "the request has no body: PUT the archive's bytes");
                }
            }
            Path target = folder.resolve(archive);
            Files.move(upload, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try {
                sources.deployer().deployNow(target, DEPLOY_WITHIN);
            } catch (IllegalStateException e) {
                return error(422, e.getMessage());
            } catch (TimeoutException e) {
                return error(504, archive + " did not deploy within " + DEPLOY_WITHIN.toSeconds() + " s");
            }
            return new Reply(201, json(this::deployments));
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private static long copy(InputStream in, Path to) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 << 10];
        try (var out = Files.newOutputStream(to)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_ARCHIVE_BYTES) {
                    throw new IOException("the archive is larger than " + (MAX_ARCHIVE_BYTES >> 20) + " MB");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private Reply undeploy(String name) throws IOException, InterruptedException {
        if (!APPLICATION.matcher(name).matches()) {
            return error(400, "not an application name: " + name);
        }
        Path folder = sources.deployer().folder();
        String base = name.replaceFirst("\\.(war|jar)$", "");
        for (String ext : List.of(".war", ".jar")) {
            Path archive = folder.resolve(base + ext);
            if (Files.exists(archive)) {
                try {
                    sources.deployer().undeployNow(archive, DEPLOY_WITHIN);
                } catch (TimeoutException e) {
                    return error(504, base + " was not undeployed within " + DEPLOY_WITHIN.toSeconds() + " s");
                }
                return ok(this::deployments);
            }
        }
        return error(404, "no archive " + base + ".war or " + base + ".jar in " + folder);
    }

    /** The counters the stats route and every live event carry. */
    static void stats(JsonGenerator g, AdminSources sources, MediaWatch clocks) throws IOException {
        CallCaptures.Totals t = sources.sip().captures().totals();
        g.writeNumberField("time", System.currentTimeMillis());
        g.writeNumberField("calls", sources.sip().callsInProgress().size());
        g.writeNumberField("invites", t.invites());
        g.writeNumberField("failures", t.failures());
        g.writeNumberField("entries", t.entries());
        g.writeNumberField("deployments", sources.deployer().status().hashCode());
        // the media clocks' worst lateness over the last tick: null when none sent a packet (or none reports its clock)
        Optional<Lateness> lateness = clocks.worst();
        if (lateness.isPresent()) {
            g.writeObjectFieldStart("lateness");
            MediaView.lateness(g, lateness.get());
            g.writeEndObject();
        } else {
            g.writeNullField("lateness");
        }
        g.writeNumberField("clocks", clocks.reporting());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Reply ok(Writer body) {
        return new Reply(200, json(body));
    }

    static Reply error(int status, String message) {
        return new Reply(status, json(g -> g.writeStringField("error", message)));
    }

    /** A JSON object whose fields {@code body} writes. */
    static String json(Writer body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
