package org.switchboard.arquillian.remote;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.test.spi.TestEnricher;

/**
 * Refuses a test class that asks for {@code @Inject}: the deployment's beans live in another JVM, so nothing can be
 * injected, and Arquillian's CDI enricher would leave the fields null without a word. The test reaches the
 * deployment over SIP (the kit's phones) instead.
 */
final class NoInjection implements TestEnricher {

    // by name: the test class path need not have the annotation (and then there is nothing to refuse)
    private static final String INJECT = "jakarta.inject.Inject";

    @Override
    public void enrich(Object testCase) {
        List<String> fields = new ArrayList<>();
        for (Class<?> c = testCase.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (injected(f.getAnnotations())) {
                    fields.add(c.getSimpleName() + "." + f.getName());
                }
            }
        }
        if (!fields.isEmpty()) {
            throw new IllegalStateException("@Inject " + fields + ": the remote Switchboard container (arquillian-remote)"
                    + " cannot inject the deployment's beans into the test, they run in the container's JVM; reach the"
                    + " application over SIP with the test kit's phones (@ArquillianResource SipPhone, Phones, SipAddress),"
                    + " or run this test in the embedded container (the arquillian module alone on the test class path)");
        }
    }

    @Override
    public Object[] resolve(Method method) {
        return new Object[method.getParameterCount()]; // parameters are other enrichers' (Arquillian's resources)
    }

    private static boolean injected(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(INJECT)) {
                return true;
            }
        }
        return false;
    }
}
