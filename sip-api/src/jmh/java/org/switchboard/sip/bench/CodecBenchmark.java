package org.switchboard.sip.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** Parse and serialize throughput of a typical INVITE and 200 OK, one thread (messages per second per core). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class CodecBenchmark {

    static final String SDP = "v=0\r\n"
            + "o=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\n"
            + "s=-\r\n"
            + "c=IN IP4 192.0.2.101\r\n"
            + "t=0 0\r\n"
            + "m=audio 49172 RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n";

    static final String INVITE = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP proxy2.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111\r\n"
            + "Via: SIP/2.0/UDP proxy1.example.com:5060;branch=z9hG4bKnashds8.1\r\n"
            + "Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport=5060\r\n"
            + "Max-Forwards: 68\r\n"
            + "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
            + "To: \"Bob\" <sip:bob@biloxi.example.com>\r\n"
            + "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@client.atlanta.example.com;transport=udp>\r\n"
            + "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE\r\n"
            + "Supported: replaces, timer, 100rel\r\n"
            + "User-Agent: Switchboard-Bench/1.0\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n"
            + SDP;

    static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP proxy2.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111\r\n"
            + "Via: SIP/2.0/UDP proxy1.example.com:5060;branch=z9hG4bKnashds8.1\r\n"
            + "Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport=5060\r\n"
            + "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
            + "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
            + "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:bob@client.biloxi.example.com;transport=udp>\r\n"
            + "Record-Route: <sip:proxy2.example.com;lr>, <sip:proxy1.example.com;lr>\r\n"
            + "Server: Switchboard-Bench/1.0\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n"
            + SDP;

    @Param({"INVITE", "200"})
    public String message;

    private byte[] bytes;
    private SipRequest invite;

    @Setup
    public void setUp() {
        bytes = (message.equals("INVITE") ? INVITE : OK).getBytes(StandardCharsets.UTF_8);
        invite = (SipRequest) SipMessage.parse(INVITE.getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public SipMessage parse() {
        return SipMessage.parse(bytes);
    }

    @Benchmark
    public byte[] parseAndSerialize() {
        return SipMessage.parse(bytes).toBytes();
    }

    @Benchmark
    public void parseAndValidate(Blackhole bh) {
        SipMessage m = SipMessage.parse(bytes);
        m.validate();
        bh.consume(m);
    }

    @Benchmark
    public byte[] buildResponse() {
        return SipResponse.forRequest(invite, 200)
                .setHeader("To", "\"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356")
                .addHeader("Contact", "<sip:bob@client.biloxi.example.com>")
                .body("application/sdp", SDP)
                .build()
                .toBytes();
    }
}
