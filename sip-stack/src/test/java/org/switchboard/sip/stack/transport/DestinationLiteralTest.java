package org.switchboard.sip.stack.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationLiteralTest {

    @Test
    void dottedQuadsAreReadAsTheJdkReadsThem() throws Exception {
        for (String h : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "10.1.22.254", "192.168.001.010")) {
            assertEquals(Optional.of(InetAddress.getByName(h)), Destination.ipLiteral(h), h);
            assertEquals(InetAddress.getByName(h), InetAddress.getByAddress(Destination.dottedQuad(h)), h);
        }
    }

    @Test
    void otherFormsAreNotDottedQuadsButStillLiterals() throws Exception {
        for (String h : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1234.1.1.1", "", "::1",
                "[::1]", "a.b.c.d")) {
            assertNull(Destination.dottedQuad(h), h);
        }
        assertEquals(Optional.of(InetAddress.getByName("::1")), Destination.ipLiteral("[::1]"));
        assertTrue(Destination.ipLiteral("example.com").isEmpty());
    }
}
