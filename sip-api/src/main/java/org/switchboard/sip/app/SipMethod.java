package org.switchboard.sip.app;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

/**
 * Selects incoming requests of one SIP method, any method included:
 * {@code void onPublish(@Observes @SipMethod("PUBLISH") SipRequest request)}. The name is upper case.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface SipMethod {

    /** The method name, upper case. */
    String value();

    /** An instance, for firing or selecting programmatically. */
    final class Literal extends AnnotationLiteral<SipMethod> implements SipMethod {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /** The qualifier for {@code method} (upper-cased). */
        public static Literal of(String method) {
            return new Literal(method.toUpperCase(Locale.ROOT));
        }

        @Override
        public String value() {
            return value;
        }
    }
}
