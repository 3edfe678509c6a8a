package org.switchboard.drachtio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppSipMessageLinesTest {

    @Test
    void linesAreCutAsTheRegularExpressionCutThem() {
        for (String head : List.of("", "INVITE sip:a@b SIP/2.0", "SIP/2.0 200 OK\r\nTo: <sip:a@b>\r\nX-A: 1",
                "SIP/2.0 200 OK\nTo: x\rFrom: y\r\nX: z\r\n", "\r\nFirst\r\r\nSecond\n\rThird\r", "a\r\n\r\nb\n\n")) {
            List<String> expected = new ArrayList<>(Arrays.asList(head.split("\r\n|\r|\n")));
            while (!expected.isEmpty() && expected.get(expected.size() - 1).isEmpty()) {
                expected.remove(expected.size() - 1); // split drops trailing empty lines; no header is lost by either
            }
            List<String> actual = new ArrayList<>(AppSipMessage.lines(head));
            while (!actual.isEmpty() && actual.get(actual.size() - 1).isEmpty()) {
                actual.remove(actual.size() - 1);
            }
            assertEquals(expected, actual, head);
        }
    }

    @Test
    void aResponseWithBareLineFeedsKeepsItsHeadersAndBody() {
        AppSipMessage m = AppSipMessage.parse("SIP/2.0 200 OK\nContent-Type: application/sdp\rx-custom: 1\r\n\r\nv=0\r\n",
                Set.of());
        assertEquals("SIP/2.0 200 OK", m.startLine());
        assertEquals(List.of(new AppSipMessage.Line("Content-Type", "application/sdp", true),
                new AppSipMessage.Line("x-custom", "1", false)), m.headers());
    }
}
