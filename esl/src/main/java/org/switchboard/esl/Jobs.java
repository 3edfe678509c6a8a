package org.switchboard.esl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.switchboard.esl.event.EslEvent;

/**
 * A session's work completed by an event rather than a reply: bgapi jobs (by Job-UUID, BACKGROUND_JOB) and executes
 * (by Application-UUID, CHANNEL_EXECUTE_COMPLETE), each with its deadline. Registered by callers on any thread,
 * completed on the I/O thread or the timer thread, failed at once when the connection ends; a concurrent map holds
 * them, and whoever removes a job completes it.
 */
final class Jobs {

    private final EslSession session;
    private final Duration jobTimeout;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    private record Job(String description, CompletableFuture<EslEvent> done, ScheduledFuture<?> deadline) {
    }

    Jobs(EslSession session, Duration jobTimeout) {
        this.session = session;
        this.jobTimeout = jobTimeout;
    }

    /** Whether no job waits (then events need not be looked at for one). */
    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Registers a job before its command is written, so its event cannot outrun it. */
    CompletableFuture<EslEvent> register(String uuid, String description) {
        CompletableFuture<EslEvent> done = new CompletableFuture<>();
        ScheduledFuture<?> deadline = EslSession.TIMER.schedule(() -> {
            if (jobs.remove(uuid) != null) {
                session.fail(done, new EslException.Timeout("'" + description + "': not completed within "
                        + jobTimeout.toMillis() + " ms"));
            }
        }, jobTimeout.toMillis(), TimeUnit.MILLISECONDS);
        jobs.put(uuid, new Job(description, done, deadline));
        return done;
    }

    /** A job whose command failed or was refused will never see its event: fail it now. */
    CompletableFuture<EslEvent> start(String uuid, CompletableFuture<EslEvent> done, String description,
                                      CompletableFuture<EslReply> sent) {
        sent.whenComplete((r, e) -> {
            if (e != null || !r.isOk()) {
                Job job = jobs.remove(uuid);
                if (job != null) {
                    job.deadline.cancel(false);
                    session.fail(done, e instanceof EslException x ? x
                            : e != null ? new EslException(description + " failed", e)
                            : new EslException.CommandFailed(description + ": " + r.text()));
                }
            }
        });
        return done;
    }

    /** Completes the job {@code key} names with its event, when one waits (I/O thread). */
    void complete(String key, EslEvent event) {
        Job job = key.isEmpty() ? null : jobs.remove(key);
        if (job != null) {
            job.deadline.cancel(false);
            session.offLoop(() -> job.done.complete(event));
        }
    }

    /** Fails every waiting job: the connection ended. */
    void failAll(String reason) {
        for (String key : new ArrayList<>(jobs.keySet())) {
            Job job = jobs.remove(key);
            if (job != null) {
                job.deadline.cancel(false);
                session.fail(job.done, new EslException.ConnectionClosed("'" + job.description + "': " + reason, null));
            }
        }
    }
}
