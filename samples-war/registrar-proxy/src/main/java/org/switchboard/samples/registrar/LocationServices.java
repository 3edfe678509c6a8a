package org.switchboard.samples.registrar;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link LocationService}: with the system property {@value #REDIS_PROPERTY} or the environment variable
 * {@value #REDIS_ENV} naming a Redis ({@code redis://host:port}, {@code redis://:password@host:port/db}), the
 * bindings live there and every node configured with the same Redis sees them; without, in this node's memory.
 */
@ApplicationScoped
public class LocationServices {

    /** The system property naming the shared Redis. */
    public static final String REDIS_PROPERTY = "registrar.redis";
    /** The environment variable naming the shared Redis, when the system property does not. */
    public static final String REDIS_ENV = "REGISTRAR_REDIS";

    private static final Logger LOG = LoggerFactory.getLogger(LocationServices.class);

    @Produces
    @ApplicationScoped
    LocationService locationService() {
        Optional<String> redis = Optional.ofNullable(System.getProperty(REDIS_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(REDIS_ENV))).filter(s -> !s.isBlank());
        if (redis.isEmpty()) {
            return new MemoryLocationService(Clock.systemUTC());
        }
        URI uri = URI.create(redis.get().trim());
        LOG.info("registrations shared in Redis at {}:{}", uri.getHost(), uri.getPort());
        return new RedisLocationService(uri, Clock.systemUTC());
    }

    void close(@Disposes LocationService locations) {
        if (locations instanceof RedisLocationService redis) {
            redis.close();
        }
    }
}
