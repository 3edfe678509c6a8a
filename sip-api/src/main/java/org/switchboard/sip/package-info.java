/**
 * The root of the SIP API: the error every part of the SIP grammar reports.
 * The message model is in {@link org.switchboard.sip.message}; URIs are in {@link org.switchboard.sip.uri}.
 */
package org.switchboard.sip;
