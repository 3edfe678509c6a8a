package org.switchboard.testapps.features;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** An ordinary CDI interceptor around an observer method. */
@Traced
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
class TracingInterceptor {

    @AroundInvoke
    Object around(InvocationContext context) throws Exception {
        Report.add("intercepted", context.getMethod().getName());
        return context.proceed();
    }
}
