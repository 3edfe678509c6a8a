package org.switchboard.container.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipRequest;

class RoutingRuleTest {

    static RoutingRule rule(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return RoutingRule.from(p);
    }

    static SipRequest request(String method, String uri) {
        return SipRequest.builder(method, uri).addHeader("Via", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1")
                .addHeader("From", "<sip:a@b>;tag=1").addHeader("To", "<sip:c@d>").addHeader("Call-ID", "x")
                .addHeader("CSeq", "1 " + method).build();
    }

    @Test
    void matchesMethodUserAndHost() {
        RoutingRule r = rule("routing.methods", "invite, message", "routing.user", "1\\d{3}", "routing.host", ".*\\.example\\.com");
        assertThat(r.methods()).containsExactlyInAnyOrder("INVITE", "MESSAGE");
        assertThat(r.matches(request("INVITE", "sip:1234@pbx.example.com"), r.methods())).isTrue();
        assertThat(r.matches(request("INVITE", "sip:12345@pbx.example.com"), r.methods())).isFalse();
        assertThat(r.matches(request("INVITE", "sip:1234@example.org"), r.methods())).isFalse();
        assertThat(r.matches(request("OPTIONS", "sip:1234@pbx.example.com"), r.methods())).isFalse();
        assertThat(r.matches(request("INVITE", "tel:+1234"), r.methods())).as("a user pattern needs a SIP URI").isFalse();
    }

    @Test
    void withoutMethodsTheObservedOnesCount() {
        RoutingRule r = rule();
        assertThat(r.matches(request("INVITE", "sip:x@y"), Set.of("INVITE"))).isTrue();
        assertThat(r.matches(request("REGISTER", "sip:y"), Set.of("INVITE"))).isFalse();
        assertThat(r.matches(request("REGISTER", "sip:y"), Set.of("*"))).isTrue();
    }

    @Test
    void conflictsNeedEqualPrioritySharedMethodsAndOverlappingPatterns() {
        RoutingRule a = rule("routing.user", "uas.*", "routing.priority", "10");
        assertThat(a.conflictWith(rule("routing.user", "uas.*", "routing.priority", "10"), Set.of("INVITE"), Set.of("INVITE")))
                .contains("both take INVITE at priority 10 for user 'uas' and any host");
        assertThat(a.conflictWith(rule("routing.priority", "10"), Set.of("INVITE"), Set.of("*"))).as("no pattern on one side")
                .contains("both take INVITE at priority 10 for any user matching uas.* and any host");
        assertThat(a.conflictWith(rule("routing.user", "b2b.*", "routing.priority", "10"), Set.of("INVITE"), Set.of("INVITE"))).isEmpty();
        assertThat(a.conflictWith(rule("routing.user", "uas.*", "routing.priority", "5"), Set.of("INVITE"), Set.of("INVITE"))).isEmpty();
        assertThat(a.conflictWith(rule("routing.user", "uas.*", "routing.priority", "10"), Set.of("INVITE"), Set.of("REGISTER"))).isEmpty();
    }

    @Test
    void differentPatternsThatCanMatchTheSameUserConflict() {
        RoutingRule prefix = rule("routing.user", "1.*");
        assertThat(prefix.conflictWith(rule("routing.user", "12\\d+"), Set.of("INVITE", "MESSAGE"), Set.of("MESSAGE", "INVITE")))
                .contains("both take INVITE,MESSAGE at priority 0 for user '120' and any host");
        assertThat(prefix.conflictWith(rule("routing.user", "[02-9].*"), Set.of("INVITE"), Set.of("INVITE"))).isEmpty();
        assertThat(rule("routing.user", "(uas|override).*").conflictWith(rule("routing.user", "feat.*"), Set.of("INVITE"),
                Set.of("INVITE"))).as("FeaturesIT's two applications").isEmpty();
    }

    @Test
    void theHostMustOverlapToo() {
        RoutingRule a = rule("routing.user", "alice", "routing.host", ".*\\.example\\.com");
        assertThat(a.conflictWith(rule("routing.host", "pbx\\.example\\.(com|org)"), Set.of("INVITE"), Set.of("INVITE")))
                .contains("both take INVITE at priority 0 for any user matching alice and host 'pbx.example.com'");
        assertThat(a.conflictWith(rule("routing.host", ".*\\.example\\.org"), Set.of("INVITE"), Set.of("INVITE"))).isEmpty();
    }

    @Test
    void aPatternThatCannotBeWorkedOutCountsAsOverlapping() {
        assertThat(rule("routing.user", "(?i)uas.*").conflictWith(rule("routing.user", "b2b.*"), Set.of("INVITE"), Set.of("INVITE")))
                .hasValueSatisfying(why -> assertThat(why).contains("not proven apart"));
    }

    @Test
    void theSamplesDoNotOverlap() {
        java.util.List<RoutingRule> samples = java.util.List.of(rule("routing.user", "uas.*", "routing.priority", "10"),
                rule("routing.user", "b2b.*", "routing.priority", "10"), rule("routing.user", "conf-.+", "routing.priority", "10"),
                rule("routing.user", "ivr", "routing.priority", "10"), rule("routing.methods", "REGISTER,INVITE"));
        for (RoutingRule x : samples) {
            for (RoutingRule y : samples) {
                if (x != y) {
                    assertThat(x.conflictWith(y, Set.of("INVITE"), Set.of("INVITE"))).as(x + " / " + y).isEmpty();
                }
            }
        }
    }

    @Test
    void containerSettingsOverrideByApplicationName() {
        Properties config = new Properties();
        config.setProperty("app.uas.routing.priority", "50");
        config.setProperty("app.b2bua.routing.user", "9.*");
        config.setProperty("drachtio.mode", "embedded");
        Map<String, Properties> o = Deployer.overrides(config);
        assertThat(o).containsOnlyKeys("uas", "b2bua");
        assertThat(o.get("uas").getProperty("routing.priority")).isEqualTo("50");
    }
}
