package org.switchboard.container.sip;

import jakarta.annotation.Priority;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.switchboard.sip.middleware.Mount;

/**
 * A middleware with its place in the chain: the {@link Priority} of its class (lowest first; none counts as
 * {@value #DEFAULT_PRIORITY}) and the methods it is {@link Mount}ed on (empty: all).
 *
 * @param <T> Middleware or ErrorMiddleware
 * @param value the middleware
 * @param priority its priority
 * @param methods upper-case methods, empty for all
 */
public record Ordered<T>(T value, int priority, Set<String> methods) {

    /** Where a middleware without {@code @Priority} goes. */
    public static final int DEFAULT_PRIORITY = 1000;

    /** Reads priority and mount from {@code type} (the bean class). */
    public static <T> Ordered<T> of(T value, Class<?> type) {
        Priority p = type.getAnnotation(Priority.class);
        Mount m = type.getAnnotation(Mount.class);
        Set<String> methods = m == null ? Set.of()
                : Stream.of(m.value()).map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        return new Ordered<>(value, p == null ? DEFAULT_PRIORITY : p.value(), methods);
    }

    /** Whether it runs for {@code method}. */
    public boolean mountedOn(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** {@code list} in chain order (stable for equal priorities). */
    public static <T> List<Ordered<T>> sorted(List<Ordered<T>> list) {
        return list.stream().sorted(Comparator.comparingInt(Ordered::priority)).toList();
    }
}
