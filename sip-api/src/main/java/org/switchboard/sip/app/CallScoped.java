package org.switchboard.sip.app;

import jakarta.enterprise.context.NormalScope;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean that lives as long as one call: created on first use while the container handles a request or event of a
 * call (an observer of {@code SipRequest}, {@code DialogEvent} or {@code EslEvent}, or a completion on the call's
 * lane), shared by everything that handles the same call (one Call-ID, or the calls an application connected to
 * it), and destroyed when the call's last dialog and pending request have ended, whichever side hung up. Using
 * such a bean outside a call fails with {@code ContextNotActiveException}.
 */
@NormalScope
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD})
public @interface CallScoped {
}
