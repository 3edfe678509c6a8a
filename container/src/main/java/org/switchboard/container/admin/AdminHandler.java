package org.switchboard.container.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Every request of the admin listener: the token check, then the console's files, the API, the live events and the
 * registered routes. The token comes as {@code Authorization: Bearer}, or as the cookie a login ({@code /?token=...})
 * sets: HttpOnly, SameSite=Strict, so that another site's page can neither read it nor make the browser send it.
 */
final class AdminHandler extends Handler.Abstract {

    static final String COOKIE = "switchboard_admin";
    private static final String RESOURCES = "/org/switchboard/container/admin/console/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/console.css", "console.css",
            "/console.js", "console.js",
            "/ladder.js", "ladder.js");

    /** The largest refused body read before the 401 goes out; a larger one is answered at once, and the connection closed. */
    private static final long REFUSED_BODY_READ = 64L << 20;

    private final AdminToken token;
    private final ApiRoutes api;
    private final LiveEvents events;
    private final Map<String, Registered> routes = new ConcurrentHashMap<>();

    private record Registered(boolean open, Route route) {
    }

    AdminHandler(AdminToken token, ApiRoutes api, LiveEvents events) {
        this.token = token;
        this.api = api;
        this.events = events;
    }

    void route(String path, boolean open, Route route) {
        if (FILES.containsKey(path) || path.startsWith("/api/") || path.equals("/api")
                || routes.putIfAbsent(path, new Registered(open, route)) != null) {
            throw new IllegalArgumentException("the admin listener already serves " + path);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        Registered registered = routes.get(path);
        if (registered != null && registered.open) {
            return registered(request, response, callback, registered.route);
        }
        Fields query = Request.extractQueryParameters(request);
        if (path.equals("/") && query.get("token") != null) {
            return login(request, response, callback, query.getValue("token"));
        }
        if (!authorized(request)) {
            boolean api = path.startsWith("/api/") || registered != null;
            long length = request.getLength();
            if (length > 0 && length <= REFUSED_BODY_READ) {
                // read the refused body before answering: a connection closed on unread bytes is reset, and the
                // reset can destroy the 401 before the client has read it
                Content.Source.consumeAll(request, Callback.from(() -> refuse(response, callback, api), callback::failed));
                return true;
            }
            if (length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
                // the body is not read, so the connection cannot carry another request after it: say so, or a
                // client that pools connections sends its next request into a closing one
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            return refuse(response, callback, api);
        }
        if (registered != null) {
            return registered(request, response, callback, registered.route);
        }
        if (path.equals("/api/events")) {
            return events.stream(response, callback);
        }
        if (path.startsWith("/api/")) {
            ApiRoutes.Reply r = api.handle(request.getMethod(), path, query, () -> body(request));
            return reply(response, callback, r.status(), "application/json", r.json());
        }
        String file = FILES.get(path);
        if (file != null && request.getMethod().equals(HttpMethod.GET.asString())) {
            return file(response, callback, file);
        }
        return reply(response, callback, 404, "text/plain;charset=utf-8", "not found: " + path + "\n");
    }

    private boolean authorized(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return token.matches(header.substring(7).trim());
        }
        List<HttpCookie> cookies = Request.getCookies(request);
        return cookies.stream().anyMatch(c -> c.getName().equals(COOKIE) && token.matches(c.getValue()));
    }

    private boolean login(Request request, Response response, Callback callback, String offered) {
        if (!token.matches(offered)) {
            return reply(response, callback, 401, "text/html;charset=utf-8", loginPage());
        }
        Response.addCookie(response, HttpCookie.build(COOKIE, offered).path("/").httpOnly(true)
                .sameSite(HttpCookie.SameSite.STRICT).build());
        response.setStatus(303);
        response.getHeaders().put(HttpHeader.LOCATION, "/"); // the token leaves the address bar and the history
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        callback.succeeded();
        return true;
    }

    private static boolean registered(Request request, Response response, Callback callback, Route route) {
        if (!request.getMethod().equals(HttpMethod.GET.asString())) {
            return reply(response, callback, 405, "text/plain;charset=utf-8", "GET only\n");
        }
        Route.Reply r = route.get();
        return reply(response, callback, r.status(), r.contentType(), r.body());
    }

    private static InputStream body(Request request) {
        return Content.Source.asInputStream(request);
    }

    private static boolean file(Response response, Callback callback, String file) throws IOException {
        byte[] bytes;
        try (InputStream in = AdminHandler.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                return reply(response, callback, 404, "text/plain;charset=utf-8", "missing resource " + file + "\n");
            }
            bytes = in.readAllBytes();
        }
        String type = file.endsWith(".html") ? "text/html;charset=utf-8"
                : file.endsWith(".css") ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8";
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
        return true;
    }

    private static boolean refuse(Response response, Callback callback, boolean api) {
        if (api) {
            return reply(response, callback, 401, "application/json", "{\"error\":\"the admin token is required\"}");
        }
        return reply(response, callback, 401, "text/html;charset=utf-8", loginPage());
    }

    static boolean reply(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String loginPage() {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Switchboard console</title></head>
                <body style="font-family:sans-serif;max-width:40em;margin:3em auto">
                <h1>Switchboard console</h1>
                <p>This console needs the admin token. Open <code>/?token=TOKEN</code> once: the browser then keeps it in a
                cookie for this site only.</p>
                <p>The token is the setting <code>admin.token</code>, or, when that is not set, the one the container
                generated at start: the log line <code>SBC-020</code> names the file that holds it.</p>
                </body></html>
                """;
    }
}
