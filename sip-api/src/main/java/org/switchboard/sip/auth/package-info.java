/**
 * HTTP digest authentication for SIP (RFC 7616, RFC 2617 as profiled by RFC 3261 section 22; MD5 and
 * SHA-256): {@link org.switchboard.sip.auth.Digest} computes and answers challenges, and
 * {@link org.switchboard.sip.auth.DigestAuthentication} is a middleware that challenges requests and checks
 * the answers against a {@link org.switchboard.sip.auth.CredentialSource}.
 */
package org.switchboard.sip.auth;
