package org.switchboard.testkit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/** The settings of a phone, fixed when it is built (see {@link SipPhone.Builder} for each). */
record PhoneConfig(SipTransport transport, InetAddress address, int port, String user, Optional<String> domain,
                   Optional<String> authUser, Optional<String> password, boolean autoAnswer, Duration timeout,
                   Duration recordLimit, int firstRtpPort, int lastRtpPort, String product, Duration t1) {
}
