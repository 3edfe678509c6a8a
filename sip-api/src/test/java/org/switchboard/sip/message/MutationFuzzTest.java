package org.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipParseException;
import org.switchboard.testing.interop.Interop;

/**
 * Mutated torture messages (flipped bytes, cuts, spliced lines, inserted separators): whatever the
 * input, parsing and every typed accessor either succeed or throw {@link SipParseException}, never
 * anything else.
 */
class MutationFuzzTest {

    private static final byte[] SPECIALS = " \t\r\n:;,<>\"\\@[]%=?&/".getBytes(StandardCharsets.US_ASCII);

    @Test
    void onlySipParseExceptionsEscape() {
        List<byte[]> seeds = new ArrayList<>();
        String[] rows = new String(Interop.bytes("rfc4475/INDEX.tsv"), StandardCharsets.UTF_8).split("\n");
        for (int i = 1; i < rows.length; i++) {
            seeds.add(Interop.bytes("rfc4475/" + rows[i].split("\t")[0]));
        }
        Random random = new Random(Long.getLong("fuzz.seed", 20261124L));
        int parsed = 0;
        for (int round = 0; round < 30_000; round++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                SipMessage m = SipMessage.parse(input);
                parsed++;
                Accessors.exercise(m);
            } catch (SipParseException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + round + ": " + e + " on input:\n" + new String(input, StandardCharsets.ISO_8859_1), e);
            }
        }
        assertThat(parsed).as("enough mutants parse to reach the typed accessors").isGreaterThan(5_000);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 1; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = SPECIALS[random.nextInt(SPECIALS.length)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = SPECIALS[random.nextInt(SPECIALS.length)];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                default -> {
                    int from = random.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + random.nextInt(40));
                    byte[] longer = new byte[b.length + len];
                    System.arraycopy(b, 0, longer, 0, at);
                    System.arraycopy(b, from, longer, at, len);
                    System.arraycopy(b, at, longer, at + len, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }
}
