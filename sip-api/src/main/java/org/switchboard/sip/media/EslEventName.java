package org.switchboard.sip.media;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects {@link EslEvent}s by an event name ({@code DTMF}, {@code CHANNEL_EXECUTE_COMPLETE}, {@code CUSTOM}, ...): {@code @Observes @EslEventName("...") EslEvent event}. The container fires each event of
 * the channels and conferences an application created with this qualifier, on the call's lane.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface EslEventName {

    /** The value to select. */
    String value();

    /** An instance to fire with. */
    final class Literal extends AnnotationLiteral<EslEventName> implements EslEventName {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /** The qualifier for {@code value}. */
        public static Literal of(String value) {
            return new Literal(java.util.Objects.requireNonNull(value, "value"));
        }

        @Override
        public String value() {
            return value;
        }
    }
}
