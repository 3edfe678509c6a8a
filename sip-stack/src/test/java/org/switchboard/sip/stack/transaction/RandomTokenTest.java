package org.switchboard.sip.stack.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tags, branches and Call-IDs. sipp's UAC failed every call whose 200 carried a To tag containing {@code CSeq}
 * (it takes the first {@code CSeq} anywhere in a response for the CSeq header; checked with sipp 3.6.1 against its
 * own UAS answering with such a tag), which 12 random mixed-case characters spell once in 1.6 million calls.
 */
class RandomTokenTest {

    @Test
    void tokensAreLowerCaseLettersAndDigitsSoTheyCanNeverSpellAHeaderName() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String token = TransactionLayer.randomToken(12);
            assertThat(token).hasSize(12).matches("[0-9a-z]{12}");
            seen.add(token);
        }
        assertThat(seen).as("no repeats in 100,000 tags of 62 bits").hasSize(100_000);
        assertThat(TransactionLayer.newBranch()).matches("z9hG4bK[0-9a-z]{16}");
    }
}
