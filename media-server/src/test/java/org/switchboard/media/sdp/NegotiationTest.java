package org.switchboard.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.Codecs;
import org.switchboard.media.codec.G711;

class NegotiationTest {

    private static final Negotiation NEGOTIATION = Negotiation.defaults();

    private static final String OFFER = "v=0\r\no=drachtio 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 18 8 0 101\r\na=rtpmap:18 G729/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n";

    @Test
    void theFirstG711FormatAndTheOffersEventTypeAreAnswered() {
        Negotiation.Result r = NEGOTIATION.answer(Sdp.parse(OFFER), "127.0.0.1", 30000).orElseThrow();
        assertThat(r.codec()).isEqualTo(G711.PCMA);
        assertThat(r.telephoneEvent()).isEqualTo(101);
        assertThat(r.remote()).contains(new InetSocketAddress("10.0.0.5", 40000));
        assertThat(r.direction()).isEqualTo(Sdp.Direction.SENDRECV);
        Sdp answer = Sdp.parse(r.sdp());
        Sdp.Media m = answer.audio().orElseThrow();
        assertThat(m.port()).isEqualTo(30000);
        assertThat(m.formats()).containsExactly(8, 101);
        assertThat(answer.addressOf(m)).contains("127.0.0.1");
    }

    @Test
    void fieldsOfSlashesAloneAreRefusedOrIgnoredNeverAnIndexError() {
        // fuzzing found 'c=1 2 /' (an address of slashes alone): split("/")[0] of it has no element 0
        Sdp noAddress = Sdp.parse(OFFER.replace("c=IN IP4 10.0.0.5", "c=IN IP4 //"));
        assertThat(noAddress.addressOf(noAddress.audio().orElseThrow())).isEmpty();
        assertThat(NEGOTIATION.answer(noAddress, "127.0.0.1", 30000).orElseThrow().remote()).isEmpty();
        assertThatThrownBy(() -> Sdp.parse(OFFER.replace("m=audio 40000", "m=audio /")))
                .isInstanceOf(IllegalArgumentException.class);
        Sdp emptyName = Sdp.parse(OFFER.replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:8 /"));
        assertThat(emptyName.audio().orElseThrow().encoding(8)).contains("");
        Sdp emptyKey = Sdp.parse(OFFER.replace("RTP/AVP", "RTP/SAVP")
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:|\r\n");
        assertThat(NEGOTIATION.answer(emptyKey, "127.0.0.1", 30000)).as("no usable key: declined").isEmpty();
    }

    @Test
    void dynamicTypesHoldAndRefusals() {
        String dynamic = OFFER.replace("RTP/AVP 18 8 0 101", "RTP/AVP 96 0 97")
                .replace("a=rtpmap:101 telephone-event/8000", "a=rtpmap:97 telephone-event/8000\r\na=rtpmap:96 opus/48000/2");
        Negotiation.Result r = NEGOTIATION.answer(Sdp.parse(dynamic), "127.0.0.1", 30002).orElseThrow();
        assertThat(r.codec().name()).isEqualTo("opus");
        assertThat(r.payloadType()).isEqualTo(96);
        assertThat(r.telephoneEvent()).isEqualTo(97);
        Negotiation.Result narrow = new Negotiation(Codecs.parse("PCMU"), false).answer(Sdp.parse(dynamic), "127.0.0.1",
                30002).orElseThrow();
        assertThat(narrow.codec()).isEqualTo(G711.PCMU);
        // hold: sendonly is answered recvonly; 0.0.0.0 means no address to send to
        Negotiation.Result hold = NEGOTIATION.answer(Sdp.parse(OFFER.replace("c=IN IP4 10.0.0.5", "c=IN IP4 0.0.0.0")
                + "a=sendonly\r\n"), "127.0.0.1", 30004).orElseThrow();
        assertThat(hold.direction()).isEqualTo(Sdp.Direction.RECVONLY);
        assertThat(hold.remote()).isEmpty();
        assertThat(hold.sdp()).contains("a=recvonly");
        // nothing in common, a rejected stream, no audio at all: no answer (the call gets 488)
        assertThat(NEGOTIATION.answer(Sdp.parse(OFFER.replace("RTP/AVP 18 8 0 101", "RTP/AVP 18")), "127.0.0.1", 1))
                .isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse(OFFER.replace("m=audio 40000", "m=audio 0")), "127.0.0.1", 1)).isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse("v=0\r\nm=video 5000 RTP/AVP 96\r\n"), "127.0.0.1", 1)).isEmpty();
        assertThatThrownBy(() -> Sdp.parse("hello")).hasMessageContaining("v=0");
        assertThatThrownBy(() -> Sdp.parse("v=0\r\nm=audio x RTP/AVP 0\r\n")).hasMessageContaining("not a number");
    }

    @Test
    void opusRunsAtTheRateTheOffersMaxplaybackrateAllows() {
        String opus = OFFER.replace("RTP/AVP 18 8 0 101", "RTP/AVP 96 101")
                .replace("a=rtpmap:101 telephone-event/8000", "a=rtpmap:101 telephone-event/8000\r\n"
                        + "a=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1; maxplaybackrate=16000");
        Negotiation.Result r = NEGOTIATION.answer(Sdp.parse(opus), "127.0.0.1", 30004).orElseThrow();
        assertThat(r.codec().name()).isEqualTo("opus");
        assertThat(r.codec().sampleRate()).isEqualTo(16000);
        assertThat(r.sdp()).contains("a=rtpmap:96 opus/48000/2").contains("maxplaybackrate=16000");
        Negotiation.Result full = NEGOTIATION.answer(Sdp.parse(opus.replace("; maxplaybackrate=16000", "")),
                "127.0.0.1", 30004).orElseThrow();
        assertThat(full.codec().sampleRate()).as("no limit: 48 kHz").isEqualTo(48000);
        assertThat(Sdp.parse(opus).audio().orElseThrow().fmtp(96, "MAXPLAYBACKRATE")).contains("16000");
    }

    @Test
    void anOfferForA3pccCallListsOurCodecsAndEvents() {
        Sdp offer = Sdp.parse(new Negotiation(Codecs.parse("PCMU,PCMA"), false).offer("127.0.0.1", 30006));
        Sdp.Media m = offer.audio().orElseThrow();
        assertThat(m.formats()).containsExactly(0, 8, 101);
        assertThat(m.encoding(101)).contains("TELEPHONE-EVENT");
        assertThat(m.ptime()).contains(20);
        // an answer to our own offer picks PCMU
        assertThat(NEGOTIATION.answer(offer, "127.0.0.1", 30008).orElseThrow().codec()).isEqualTo(G711.PCMU);
    }

    @Test
    void anOpusOnlyOfferIsAnsweredWithOpusAtItsPayloadType() {
        String opusOnly = OFFER.replace("RTP/AVP 18 8 0 101", "RTP/AVP 109 101")
                .replace("a=rtpmap:101 telephone-event/8000", "a=rtpmap:109 opus/48000/2\r\na=fmtp:109 useinbandfec=1\r\n"
                        + "a=rtpmap:101 telephone-event/8000");
        Negotiation.Result r = NEGOTIATION.answer(Sdp.parse(opusOnly), "127.0.0.1", 30010).orElseThrow();
        assertThat(r.codec().name()).isEqualTo("opus");
        assertThat(r.payloadType()).isEqualTo(109);
        assertThat(r.sdp()).contains("m=audio 30010 RTP/AVP 109 101\r\n").contains("a=rtpmap:109 opus/48000/2\r\n")
                .contains("a=fmtp:109 useinbandfec=1");
        // a server configured without Opus refuses it
        assertThat(new Negotiation(Codecs.parse("PCMU,PCMA"), false).answer(Sdp.parse(opusOnly), "127.0.0.1", 1))
                .isEmpty();
        // opus at another clock rate is not RFC 7587's Opus
        assertThat(NEGOTIATION.answer(Sdp.parse(opusOnly.replace("opus/48000/2", "opus/16000")), "127.0.0.1", 1))
                .isEmpty();
    }

    @Test
    void generousFollowsTheOfferGreedyFollowsOurList() {
        String mixed = OFFER.replace("RTP/AVP 18 8 0 101", "RTP/AVP 0 9 101");
        assertThat(NEGOTIATION.answer(Sdp.parse(mixed), "127.0.0.1", 1).orElseThrow().codec()).isEqualTo(G711.PCMU);
        Negotiation.Result greedy = new Negotiation(Codecs.parse("OPUS,G722,PCMU,PCMA"), true)
                .answer(Sdp.parse(mixed), "127.0.0.1", 1).orElseThrow();
        assertThat(greedy.codec().name()).isEqualTo("G722");
        assertThat(greedy.payloadType()).isEqualTo(9);
        assertThat(greedy.sdp()).contains("a=rtpmap:9 G722/8000");
    }

    @Test
    void aSecureOfferIsAnsweredWithSrtpAndAKeyOfOurs() {
        String key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
        String offer = OFFER.replace("RTP/AVP", "RTP/SAVP")
                + "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:" + key + key + "\r\n"
                + "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + key + "|2^31\r\n"
                + "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" + key + "\r\n";
        Negotiation.Result r = NEGOTIATION.answer(Sdp.parse(offer), "127.0.0.1", 30012).orElseThrow();
        Negotiation.Sdes sdes = r.srtp().orElseThrow();
        assertThat(sdes.suite()).isEqualTo(org.switchboard.media.rtp.SrtpSuite.AES_CM_128_HMAC_SHA1_32);
        assertThat(sdes.remoteKey()).isEqualTo(key);
        assertThat(sdes.localKey()).hasSize(40).isNotEqualTo(key);
        Sdp answer = Sdp.parse(r.sdp());
        assertThat(answer.audio().orElseThrow().protocol()).isEqualTo("RTP/SAVP");
        assertThat(answer.audio().orElseThrow().crypto())
                .containsExactly("2 AES_CM_128_HMAC_SHA1_32 inline:" + sdes.localKey());
        // each answer has a key of its own
        assertThat(NEGOTIATION.answer(Sdp.parse(offer), "127.0.0.1", 30012).orElseThrow().srtp().orElseThrow().localKey())
                .isNotEqualTo(sdes.localKey());
    }

    @Test
    void aSecureOfferWeCannotHonourIsNeverAnsweredInPlainRtp() {
        String savp = OFFER.replace("RTP/AVP", "RTP/SAVP");
        String key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
        assertThat(NEGOTIATION.answer(Sdp.parse(savp), "127.0.0.1", 1)).as("no keys").isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse(savp + "a=crypto:1 F8_128_HMAC_SHA1_80 inline:" + key + "\r\n"),
                "127.0.0.1", 1)).as("a suite we lack").isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse(savp + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key
                + "|2^20|1:4\r\n"), "127.0.0.1", 1)).as("an MKI").isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse(savp + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key
                + " UNENCRYPTED_SRTP\r\n"), "127.0.0.1", 1)).as("a session parameter").isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse(savp + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n"),
                "127.0.0.1", 1)).as("a short key").isEmpty();
        assertThat(NEGOTIATION.answer(Sdp.parse(OFFER.replace("RTP/AVP", "UDP/TLS/RTP/SAVPF")), "127.0.0.1", 1))
                .as("DTLS-SRTP").isEmpty();
    }
}
