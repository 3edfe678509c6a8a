package org.switchboard.container.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether two routing patterns (Java regular expressions matched against the whole text) can both match one text,
 * and if so an example of one. Decided exactly for the regular part of the syntax: literals and escapes,
 * {@code .}, classes ({@code [a-z]}, {@code [^;]}, {@code \d \w \s} and their negations), groups, alternation and the
 * greedy or lazy quantifiers ({@code * + ? {n} {n,} {n,m}}), {@code ^} first and {@code $} last. Anything else
 * (flags, look-around, back references, possessive quantifiers, class intersections, word boundaries) is
 * {@link Verdict#UNKNOWN}, which the deployer takes as an overlap: it refuses what it cannot prove apart.
 *
 * <p>How: each pattern becomes a nondeterministic automaton over character ranges; a breadth-first walk of pairs of
 * states, moving both automata on a character the two transitions share, finds the shortest text both accept.
 */
final class PatternOverlap {

    /** What {@link #of} found. */
    enum Verdict { DISJOINT, OVERLAP, UNKNOWN }

    /**
     * @param verdict whether both can match
     * @param example a text both match, when {@link Verdict#OVERLAP}
     */
    record Result(Verdict verdict, Optional<String> example) {
    }

    private static final int MAX_STATES = 20_000;
    private static final char MAX = Character.MAX_VALUE;

    private PatternOverlap() {
    }

    /** Whether {@code a} and {@code b} can both match one whole text. */
    static Result of(Pattern a, Pattern b) {
        Nfa na;
        Nfa nb;
        try {
            na = Nfa.of(a);
            nb = Nfa.of(b);
        } catch (Unsupported e) {
            return new Result(Verdict.UNKNOWN, Optional.empty());
        }
        return intersect(na, nb).map(s -> new Result(Verdict.OVERLAP, Optional.of(s)))
                .orElse(new Result(Verdict.DISJOINT, Optional.empty()));
    }

    private static Optional<String> intersect(Nfa a, Nfa b) {
        record Pair(int a, int b) {
        }
        record Step(Pair from, char c) {
        }
        Map<Pair, Step> seen = new HashMap<>();
        ArrayDeque<Pair> queue = new ArrayDeque<>();
        Pair start = new Pair(a.start, b.start);
        seen.put(start, null);
        queue.add(start);
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            if (p.a == a.accept && p.b == b.accept) {
                StringBuilder text = new StringBuilder();
                for (Step s = seen.get(p); s != null; s = seen.get(s.from)) {
                    if (s.c != 0) {
                        text.append(s.c);
                    }
                }
                return Optional.of(text.reverse().toString());
            }
            List<Pair> next = new ArrayList<>();
            List<Character> via = new ArrayList<>();
            for (int e : a.epsilon.get(p.a)) {
                next.add(new Pair(e, p.b));
                via.add((char) 0);
            }
            for (int e : b.epsilon.get(p.b)) {
                next.add(new Pair(p.a, e));
                via.add((char) 0);
            }
            for (Edge ea : a.edges.get(p.a)) {
                for (Edge eb : b.edges.get(p.b)) {
                    int shared = ea.set.firstShared(eb.set);
                    if (shared >= 0) {
                        next.add(new Pair(ea.to, eb.to));
                        via.add((char) shared);
                    }
                }
            }
            for (int i = 0; i < next.size(); i++) {
                if (!seen.containsKey(next.get(i))) {
                    seen.put(next.get(i), new Step(p, via.get(i)));
                    queue.add(next.get(i));
                }
            }
        }
        return Optional.empty();
    }

    /** A construct outside the regular subset this class decides. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** A set of characters as sorted, disjoint, inclusive ranges {@code [lo0, hi0, lo1, hi1, ...]}. */
    private record CharSet(int[] ranges) {

        static final CharSet ANY = new CharSet(new int[] {0, MAX});

        static CharSet of(char c) {
            return new CharSet(new int[] {c, c});
        }

        static CharSet union(List<int[]> pairs) {
            List<int[]> sorted = new ArrayList<>(pairs);
            sorted.sort((x, y) -> Integer.compare(x[0], y[0]));
            List<int[]> merged = new ArrayList<>();
            for (int[] r : sorted) {
                if (!merged.isEmpty() && r[0] <= merged.get(merged.size() - 1)[1] + 1) {
                    merged.get(merged.size() - 1)[1] = Math.max(merged.get(merged.size() - 1)[1], r[1]);
                } else {
                    merged.add(new int[] {r[0], r[1]});
                }
            }
            int[] flat = new int[merged.size() * 2];
            for (int i = 0; i < merged.size(); i++) {
                flat[2 * i] = merged.get(i)[0];
                flat[2 * i + 1] = merged.get(i)[1];
            }
            return new CharSet(flat);
        }

        CharSet negate() {
            List<int[]> out = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < ranges.length; i += 2) {
                if (ranges[i] > next) {
                    out.add(new int[] {next, ranges[i] - 1});
                }
                next = ranges[i + 1] + 1;
            }
            if (next <= MAX) {
                out.add(new int[] {next, MAX});
            }
            return union(out);
        }

        List<int[]> pairs() {
            List<int[]> out = new ArrayList<>();
            for (int i = 0; i < ranges.length; i += 2) {
                out.add(new int[] {ranges[i], ranges[i + 1]});
            }
            return out;
        }

        /** The smallest character in both sets, preferring a printable one; -1 when they share none. */
        int firstShared(CharSet other) {
            int found = -1;
            for (int i = 0; i < ranges.length; i += 2) {
                for (int j = 0; j < other.ranges.length; j += 2) {
                    int lo = Math.max(ranges[i], other.ranges[j]);
                    int hi = Math.min(ranges[i + 1], other.ranges[j + 1]);
                    if (lo <= hi) {
                        int printable = Math.max(lo, '0'); // an example reads better as a digit or letter than as a control
                        if (printable <= hi && printable <= '~') {
                            return printable;
                        }
                        found = found < 0 ? lo : found;
                    }
                }
            }
            return found;
        }
    }

    private record Edge(CharSet set, int to) {
    }

    /** A Thompson automaton: one start and one accepting state, epsilon moves and moves on a character set. */
    private static final class Nfa {
        final List<List<Integer>> epsilon = new ArrayList<>();
        final List<List<Edge>> edges = new ArrayList<>();
        int start;
        int accept;

        static Nfa of(Pattern pattern) throws Unsupported {
            if (pattern.flags() != 0) {
                throw new Unsupported();
            }
            String re = pattern.pattern();
            if (re.startsWith("^")) {
                re = re.substring(1);
            }
            if (re.endsWith("$") && !re.endsWith("\\$")) {
                re = re.substring(0, re.length() - 1);
            }
            Nfa nfa = new Nfa();
            Parser parser = new Parser(re);
            Node node = parser.alternation();
            if (parser.pos != re.length()) {
                throw new Unsupported();
            }
            int[] f = nfa.build(node);
            nfa.start = f[0];
            nfa.accept = f[1];
            return nfa;
        }

        int state() throws Unsupported {
            if (epsilon.size() >= MAX_STATES) {
                throw new Unsupported();
            }
            epsilon.add(new ArrayList<>(2));
            edges.add(new ArrayList<>(1));
            return epsilon.size() - 1;
        }

        /** A fragment for {@code node}: {start, end}. */
        int[] build(Node node) throws Unsupported {
            int s = state();
            int e = state();
            if (node instanceof Chars c) {
                edges.get(s).add(new Edge(c.set, e));
            } else if (node instanceof Seq q) {
                int at = s;
                for (Node part : q.parts) {
                    int[] f = build(part);
                    epsilon.get(at).add(f[0]);
                    at = f[1];
                }
                epsilon.get(at).add(e);
            } else if (node instanceof Alt a) {
                for (Node option : a.options) {
                    int[] f = build(option);
                    epsilon.get(s).add(f[0]);
                    epsilon.get(f[1]).add(e);
                }
            } else if (node instanceof Repeat r) {
                int at = s;
                for (int i = 0; i < r.min; i++) {
                    int[] f = build(r.node);
                    epsilon.get(at).add(f[0]);
                    at = f[1];
                }
                if (r.max < 0) {
                    int[] f = build(r.node);
                    epsilon.get(at).add(f[0]);
                    epsilon.get(f[1]).add(at);
                } else {
                    for (int i = r.min; i < r.max; i++) {
                        int[] f = build(r.node);
                        epsilon.get(at).add(f[0]);
                        epsilon.get(at).add(e);
                        at = f[1];
                    }
                }
                epsilon.get(at).add(e);
            }
            return new int[] {s, e};
        }
    }

    private sealed interface Node permits Chars, Seq, Alt, Repeat {
    }

    private record Chars(CharSet set) implements Node {
    }

    private record Seq(List<Node> parts) implements Node {
    }

    private record Alt(List<Node> options) implements Node {
    }

    /** {@code max} -1: unbounded. */
    private record Repeat(Node node, int min, int max) implements Node {
    }

    /** A recursive-descent reader of the supported syntax. */
    private static final class Parser {
        private final String re;
        int pos;

        Parser(String re) {
            this.re = re;
        }

        Node alternation() throws Unsupported {
            List<Node> options = new ArrayList<>();
            options.add(sequence());
            while (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                options.add(sequence());
            }
            return options.size() == 1 ? options.get(0) : new Alt(options);
        }

        private Node sequence() throws Unsupported {
            List<Node> parts = new ArrayList<>();
            while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
                parts.add(quantified(atom()));
            }
            return new Seq(parts);
        }

        private Node quantified(Node atom) throws Unsupported {
            Node node = atom;
            while (pos < re.length()) {
                char c = re.charAt(pos);
                int min;
                int max;
                if (c == '*') {
                    min = 0;
                    max = -1;
                    pos++;
                } else if (c == '+') {
                    min = 1;
                    max = -1;
                    pos++;
                } else if (c == '?') {
                    min = 0;
                    max = 1;
                    pos++;
                } else if (c == '{') {
                    int close = re.indexOf('}', pos);
                    if (close < 0) {
                        throw new Unsupported();
                    }
                    String[] bounds = re.substring(pos + 1, close).split(",", -1);
                    try {
                        min = Integer.parseInt(bounds[0].trim());
                        max = bounds.length == 1 ? min : bounds[1].isBlank() ? -1 : Integer.parseInt(bounds[1].trim());
                    } catch (NumberFormatException e) {
                        throw new Unsupported();
                    }
                    if (bounds.length > 2 || min > 1000 || max > 1000) {
                        throw new Unsupported();
                    }
                    pos = close + 1;
                } else {
                    return node;
                }
                if (pos < re.length() && re.charAt(pos) == '?') {
                    pos++; // lazy: the same texts match
                } else if (pos < re.length() && re.charAt(pos) == '+') {
                    throw new Unsupported(); // possessive: it can match fewer texts
                }
                node = new Repeat(node, min, max);
            }
            return node;
        }

        private Node atom() throws Unsupported {
            char c = re.charAt(pos++);
            switch (c) {
                case '(' -> {
                    if (re.startsWith("?:", pos)) {
                        pos += 2;
                    } else if (re.startsWith("?<", pos) && pos + 2 < re.length() && Character.isLetter(re.charAt(pos + 2))) {
                        pos = re.indexOf('>', pos) + 1;
                    } else if (re.startsWith("?", pos)) {
                        throw new Unsupported(); // flags, look-around, atomic groups
                    }
                    Node inner = alternation();
                    if (pos >= re.length() || re.charAt(pos) != ')') {
                        throw new Unsupported();
                    }
                    pos++;
                    return inner;
                }
                case '[' -> {
                    return new Chars(charClass());
                }
                case '.' -> {
                    return new Chars(CharSet.union(List.of(new int[] {0, '\n' - 1}, new int[] {'\n' + 1, '\r' - 1},
                            new int[] {'\r' + 1, 0x84}, new int[] {0x86, 0x2027}, new int[] {0x202A, MAX})));
                }
                case '\\' -> {
                    return new Chars(escape());
                }
                case '^', '$', '*', '+', '?', '{', ')' -> throw new Unsupported();
                default -> {
                    return new Chars(CharSet.of(c));
                }
            }
        }

        private CharSet escape() throws Unsupported {
            if (pos >= re.length()) {
                throw new Unsupported();
            }
            char c = re.charAt(pos++);
            return switch (c) {
                case 'd' -> CharSet.union(List.<int[]>of(new int[] {'0', '9'}));
                case 'D' -> CharSet.union(List.<int[]>of(new int[] {'0', '9'})).negate();
                case 'w' -> word();
                case 'W' -> word().negate();
                case 's' -> space();
                case 'S' -> space().negate();
                case 't' -> CharSet.of('\t');
                case 'n' -> CharSet.of('\n');
                case 'r' -> CharSet.of('\r');
                default -> {
                    if (Character.isLetterOrDigit(c)) {
                        throw new Unsupported(); // back references, \b, \p{..}, \x.., \Q..
                    }
                    yield CharSet.of(c);
                }
            };
        }

        private static CharSet word() {
            return CharSet.union(List.of(new int[] {'0', '9'}, new int[] {'A', 'Z'}, new int[] {'_', '_'}, new int[] {'a', 'z'}));
        }

        private static CharSet space() {
            return CharSet.union(List.of(new int[] {'\t', '\r'}, new int[] {' ', ' '}));
        }

        private CharSet charClass() throws Unsupported {
            boolean negated = pos < re.length() && re.charAt(pos) == '^';
            if (negated) {
                pos++;
            }
            List<int[]> ranges = new ArrayList<>();
            boolean first = true;
            while (true) {
                if (pos >= re.length()) {
                    throw new Unsupported();
                }
                char c = re.charAt(pos);
                if (c == ']' && !first) {
                    pos++;
                    break;
                }
                first = false;
                if (c == '[' || re.startsWith("&&", pos)) {
                    throw new Unsupported(); // unions and intersections of classes
                }
                CharSet one;
                pos++;
                if (c == '\\') {
                    one = escape();
                } else {
                    one = CharSet.of(c);
                }
                if (one.ranges.length == 2 && one.ranges[0] == one.ranges[1] && pos + 1 < re.length() && re.charAt(pos) == '-'
                        && re.charAt(pos + 1) != ']') {
                    pos++;
                    char hi = re.charAt(pos++);
                    int high = hi;
                    if (hi == '\\') {
                        CharSet h = escape();
                        if (h.ranges.length != 2 || h.ranges[0] != h.ranges[1]) {
                            throw new Unsupported();
                        }
                        high = h.ranges[0];
                    }
                    if (high < one.ranges[0]) {
                        throw new Unsupported();
                    }
                    ranges.add(new int[] {one.ranges[0], high});
                } else {
                    ranges.addAll(one.pairs());
                }
            }
            CharSet set = CharSet.union(ranges);
            return negated ? set.negate() : set;
        }
    }
}
