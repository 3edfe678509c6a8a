package org.switchboard.samples.registrar;

import java.net.URI;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * The bindings in a Redis that every node shares: one sorted set per user, {@code switchboard:registrar:<user>},
 * its members the contacts scored by when they expire (epoch milliseconds of the node that bound them, so the
 * nodes' clocks must agree, as NTP keeps them). Expired members are removed when the user is looked up, and the set
 * itself expires with its last contact.
 */
final class RedisLocationService implements LocationService, AutoCloseable {

    static final String KEY_PREFIX = "switchboard:registrar:";

    private final RedisClient redis;
    private final Clock clock;

    RedisLocationService(URI uri, Clock clock) {
        this.redis = RedisClient.create(uri);
        this.clock = clock;
    }

    @Override
    public void bind(String user, String contact, int seconds) {
        String key = KEY_PREFIX + user;
        if (seconds <= 0) {
            redis.zrem(key, contact);
            return;
        }
        redis.zadd(key, clock.millis() + seconds * 1000L, contact);
        redis.zrangeWithScores(key, -1, -1).forEach(last -> redis.pexpireAt(key, (long) last.getScore()));
    }

    @Override
    public List<Binding> bindings(String user) {
        String key = KEY_PREFIX + user;
        long now = clock.millis();
        redis.zremrangeByScore(key, Double.NEGATIVE_INFINITY, now);
        return redis.zrangeWithScores(key, 0, -1).stream()
                .map(t -> new Binding(t.getElement(), MemoryLocationService.secondsLeft((long) t.getScore(), now)))
                .sorted(Comparator.comparing(Binding::contact)).toList();
    }

    @Override
    public void close() {
        redis.close();
    }
}
