package org.switchboard.arquillian.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The deployments routes of a running container's admin API (docs/container.md lists them), with its bearer token.
 * The token goes in the {@code Authorization} header only: no message this class makes contains it.
 */
final class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(10);
    private static final int MAX_ERROR_TEXT = 2000;

    private final URI base;
    private final String token;
    private final Duration within;
    private final HttpClient http;

    /** The API under {@code base} (no trailing slash); each request, a deployment included, must be answered {@code within}. */
    AdminApi(URI base, String token, Duration within) {
        this.base = base;
        this.token = token;
        this.within = within;
        // HTTP/1.1: the admin listener speaks no cleartext HTTP/2, so no upgrade is offered
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_WITHIN).build();
    }

    /** What went wrong with a request: the method, the URL and the status or cause, and the server's own words. */
    static final class Failure extends Exception {

        private static final long serialVersionUID = 1L;

        private final int status; // 0: no answer

        Failure(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status the server answered, 0 when it did not answer. */
        int status() {
            return status;
        }
    }

    /** The deployments the container runs, by application name: answers only with a reachable API and a valid token. */
    List<String> activeDeployments() throws Failure, InterruptedException {
        URI uri = URI.create(base + "/api/deployments");
        return active(send("GET", uri, request(uri).GET(), 200));
    }

    /**
     * Deploys {@code archive} as {@code fileName} ({@code NAME.war} or {@code NAME.jar}); the container answers once it
     * runs (or failed), and this checks that it is then listed active.
     */
    void deploy(String fileName, byte[] archive) throws Failure, InterruptedException {
        URI uri = deploymentUri(fileName);
        JsonNode answer = send("PUT", uri, request(uri).header("Content-Type", "application/java-archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)), 201);
        String application = fileName.substring(0, fileName.lastIndexOf('.'));
        List<String> running = active(answer);
        if (!running.contains(application)) {
            throw new Failure("PUT " + uri + " answered 201 but " + application + " is not among the active deployments "
                    + running, 201, null);
        }
    }

    /** Undeploys the archive deployed as {@code fileName}; the container answers once its version drained. */
    void undeploy(String fileName) throws Failure, InterruptedException {
        URI uri = deploymentUri(fileName);
        send("DELETE", uri, request(uri).DELETE(), 200);
    }

    private URI deploymentUri(String fileName) {
        return URI.create(base + "/api/deployments/" + URLEncoder.encode(fileName, StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(within).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private JsonNode send(String method, URI uri, HttpRequest.Builder request, int expected) throws Failure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Failure(method + " " + uri + ": no answer within " + within.toSeconds() + " s (deployTimeout)", 0, e);
        } catch (ConnectException e) {
            throw new Failure(method + " " + uri + ": cannot connect (" + e + "): is ./switchboard run running with its admin"
                    + " listener (admin.listen) at " + base + "?", 0, e);
        } catch (IOException e) {
            throw new Failure(method + " " + uri + ": " + e, 0, e);
        }
        int status = response.statusCode();
        if (status != expected) {
            String hint = status == 401 ? " (the admin token was refused: check token or tokenFile in arquillian.xml)" : "";
            throw new Failure(method + " " + uri + " answered HTTP " + status + hint + ": " + errorText(response.body()), status, null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(method + " " + uri + " answered " + status + " with no JSON: " + truncated(response.body()), status, e);
        }
    }

    /** The {@code error} of the API's JSON answer, else the body as it came. */
    private static String errorText(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException e) {
            // not JSON (a proxy's page, say): shown as it came
        }
        return truncated(body);
    }

    private static String truncated(String body) {
        return body.length() <= MAX_ERROR_TEXT ? body : body.substring(0, MAX_ERROR_TEXT) + "...";
    }

    private static List<String> active(JsonNode answer) {
        List<String> names = new ArrayList<>();
        for (JsonNode d : answer.path("deployments")) {
            if ("active".equals(d.path("state").asText())) {
                names.add(d.path("name").asText());
            }
        }
        return names;
    }
}
