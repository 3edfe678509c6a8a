/**
 * The SIP stack: a transport layer and a transaction layer wired together for one transaction user,
 * with one configuration. The layers are in the sub-packages; the user agent core is in {@link
 * org.switchboard.sip.stack.ua}.
 */
package org.switchboard.sip.stack;
