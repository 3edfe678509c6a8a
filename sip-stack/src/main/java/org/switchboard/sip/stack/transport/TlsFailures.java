package org.switchboard.sip.stack.transport;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateNotYetValidException;

/** Turns a failed TLS handshake's exception chain into one line that says what an operator has to fix. */
final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * What went wrong, most specific first: an expired, untrusted or wrong-host certificate, a client without one,
     * else the cause.
     */
    static String describe(Throwable cause) {
        Throwable innermost = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "certificate expired or not yet valid (" + t.getMessage() + ")";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "certificate expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateException && t.getMessage() != null && t.getMessage().startsWith("No ")
                    && t.getMessage().contains("matching")) {
                return "certificate does not name the host connected to (" + t.getMessage() + ")";
            }
            if (t.getMessage() != null && t.getMessage().contains("Empty client certificate chain")) {
                return "the client sent no certificate, and this listener requires one (" + t.getMessage() + ")";
            }
            if (t instanceof CertPathBuilderException) {
                return "certificate not trusted: no path to a trusted CA (" + t.getMessage() + ")";
            }
            innermost = t;
        }
        return innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
    }
}
