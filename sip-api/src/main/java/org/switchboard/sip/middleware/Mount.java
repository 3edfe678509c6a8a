package org.switchboard.sip.middleware;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs a middleware only for requests of these methods; without it, a middleware sees every request. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Mount {

    /** Method names, upper case. */
    String[] value();
}
