package org.switchboard.container.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether two routing patterns can match one text: decided on the texts, with a witness both really match. */
class PatternOverlapTest {

    private static PatternOverlap.Result of(String a, String b) {
        return PatternOverlap.of(Pattern.compile(a), Pattern.compile(b));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1.* 12\\d+", "uas.* .*s", "[a-c]x? b", "(uas|override).* over.+", "\\d{3,5} 1234", "a*b*c* ''",
        "^conf-.+$ conf-\\w", "sip[.:]x sip.x", "[^;]+ a;b|c", "\\. [.]", "x{2} xx", "(?:ab)+ ababab", "[\\d-] -",
        "a|b|c c",
    })
    void overlappingPatternsGiveATextBothMatch(String a, String b) {
        String left = a.equals("''") ? "" : a;
        String right = b.equals("''") ? "" : b;
        PatternOverlap.Result r = of(left, right);
        assertThat(r.verdict()).isEqualTo(PatternOverlap.Verdict.OVERLAP);
        String example = r.example().orElseThrow();
        assertThat(example).as("the example matches " + left).matches(left);
        assertThat(example).as("the example matches " + right).matches(right);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "uas.* b2b.*", "1.* [02-9].*", "\\d+ [a-z]+", "ivr ivr.+", "x{2} x{3}", "a(bc)*d a(bc)*bd", "conf-.+ conf-",
        "(uas|override).* feat.*", "[^;]+ .*;.*", "\\w+ .*\\W.*", "\\s* \\S+",
    })
    void disjointPatternsAreTold(String a, String b) {
        assertThat(of(a, b).verdict()).isEqualTo(PatternOverlap.Verdict.DISJOINT);
        assertThat(of(b, a).verdict()).isEqualTo(PatternOverlap.Verdict.DISJOINT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {"(?i)uas x", "(a)\\1 aa", "a(?=b). ab", "a*+a a", "\\bx x", "[a-z&&[^b]] b", "\\p{L} x"})
    void whatCannotBeWorkedOutIsUnknown(String a, String b) {
        assertThat(of(a, b).verdict()).isEqualTo(PatternOverlap.Verdict.UNKNOWN);
    }

    @Test
    void theDotLeavesOutLineTerminatorsAsJavaDoes() {
        assertThat(of(".", "\\n").verdict()).isEqualTo(PatternOverlap.Verdict.DISJOINT);
        assertThat(of(".", "\\t").verdict()).isEqualTo(PatternOverlap.Verdict.OVERLAP);
    }
}
