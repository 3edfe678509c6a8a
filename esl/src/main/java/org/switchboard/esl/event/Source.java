package org.switchboard.esl.event;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The bytes of a received event and an index of its headers that grows as far as lookups need: a lookup first
 * checks the headers already indexed, then tries {@link #seek}, then scans on until it finds the name (FreeSWITCH
 * writes Event-Name first and Unique-ID among the first twenty headers, so dispatching an event reads a small part of
 * it). Plain events are indexed a line at a time, JSON ones in one pass. Values are decoded when first read, then
 * kept. Every method holds the source's lock: an event may be read from several threads.
 */
abstract class Source {

    static final int NAME_FROM = 0;
    static final int NAME_TO = 1;
    static final int VALUE_FROM = 2;
    static final int VALUE_TO = 3;
    static final int FLAGS = 4;
    static final int WIDTH = 5;

    final byte[] b;
    /** Where scanning goes on. */
    int pos;
    /** Whether every header is indexed. */
    boolean done;
    int count;
    int[] spans;
    // values made when first looked up, and every header once all are asked for
    private String[] values;
    private List<EslEvent.Header> all;
    private String body;

    Source(byte[] b) {
        this.b = b;
    }

    /** Indexes the next header or more (with {@link #add}), or skips a line or field that is no header, or sets {@link #done}. */
    abstract void scanOne();

    /** The name of header {@code i}, made from its bytes. */
    abstract String decodeName(int i);

    /** The value of header {@code i}, made from its bytes. */
    abstract String decodeValue(int i);

    /** Whether header {@code i} is called {@code name}, ignoring case, preferably without making its name. */
    abstract boolean nameIs(int i, String name);

    /** The body, once every header is indexed. */
    abstract String decodeBody();

    /**
     * The value of header {@code name}, written exactly so, found beyond the scan position without indexing the
     * headers before it; null to let the scan look (case-insensitively) as usual.
     */
    String seek(String name) {
        return null;
    }

    /** The header list when the scan gave up and the event was read in one go, else null. */
    List<EslEvent.Header> whole() {
        return null;
    }

    /** How many headers the index is likely to hold when it first records one (it grows beyond as needed). */
    abstract int expectedHeaders();

    final void add(int nameFrom, int nameTo, int valueFrom, int valueTo, int flags) {
        int at = count * WIDTH;
        if (spans == null) {
            // made when first needed: a JSON event's dispatch lookups record none
            spans = new int[Math.max(1, expectedHeaders()) * WIDTH];
        }
        if (at + WIDTH > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[at + NAME_FROM] = nameFrom;
        spans[at + NAME_TO] = nameTo;
        spans[at + VALUE_FROM] = valueFrom;
        spans[at + VALUE_TO] = valueTo;
        spans[at + FLAGS] = flags;
        count++;
    }

    final int span(int i, int field) {
        return spans[i * WIDTH + field];
    }

    /** The value of the first header of that name (case-insensitive), or null. */
    final synchronized String find(String name) {
        List<EslEvent.Header> w = whole();
        if (w != null) {
            return search(w, name);
        }
        if (all instanceof HeaderList read) {
            return read.find(name);
        }
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        if (!done) {
            String sought = seek(name);
            if (sought != null) {
                return sought;
            }
        }
        while (!done) {
            int before = count;
            scanOne();
            w = whole();
            if (w != null) {
                return search(w, name);
            }
            if (count > before && nameIs(before, name)) {
                return value(before);
            }
            String more = count > before + 1 ? findFrom(before + 1, name) : null;
            if (more != null) {
                return more;
            }
        }
        return null;
    }

    /**
     * The value of the first header from {@code from} on of that name, or null: for a JSON event, indexed in one step.
     * Kept out of {@link #find}, whose plain-line check a loop there made 7% slower.
     */
    private String findFrom(int from, String name) {
        for (int i = from; i < count; i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    private static String search(List<EslEvent.Header> headers, String name) {
        for (EslEvent.Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    private String value(int i) {
        if (values == null || values.length <= i) {
            values = values == null ? new String[Math.max(count, 8)] : Arrays.copyOf(values, Math.max(count, values.length * 2));
        }
        String v = values[i];
        if (v == null) {
            values[i] = v = decodeValue(i);
        }
        return v;
    }

    /** Every header, in order, as an unmodifiable list. */
    final synchronized List<EslEvent.Header> all() {
        if (all == null) {
            if (count == 0 && !done) {
                all = readAll();
            }
            if (all == null) {
                while (!done) {
                    scanOne();
                }
                List<EslEvent.Header> w = whole();
                all = w != null ? Collections.unmodifiableList(w) : fromIndex();
            }
        }
        return all;
    }

    /**
     * Every header made in one pass over the text, when nothing is indexed yet (the spans of the index are then never
     * written nor read again); null when this source has no such pass, or when the pass gave up and {@link #whole} has
     * the headers.
     */
    HeaderList readAll() {
        return null;
    }

    private HeaderList fromIndex() {
        // the values looked up before are kept; names are made here, once
        String[] known = values;
        String[] names = new String[count];
        String[] made = new String[count];
        for (int i = 0; i < count; i++) {
            String v = known != null && i < known.length ? known[i] : null;
            names[i] = decodeName(i);
            made[i] = v != null ? v : decodeValue(i);
        }
        return new HeaderList(names, made, count);
    }

    /** The body (empty when there is none). */
    final synchronized String body() {
        if (body == null) {
            if (all == null && count == 0 && !done) {
                // whoever reads the body nearly always reads the headers too: making them in this pass costs less
                // than indexing now and making them later (a body-only reader of a big event pays the strings)
                all = readAll();
            }
            while (!done) {
                scanOne();
            }
            body = decodeBody();
        }
        return body;
    }

    /** Whether {@code b[from..to)}, read as ISO-8859-1, equals {@code name} ignoring case as {@link String#equalsIgnoreCase} does. */
    static boolean latin1EqualsIgnoreCase(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char x = (char) (b[from + i] & 0xff);
            char y = name.charAt(i);
            if (x != y) {
                if ((x | 0x20) == (y | 0x20) && (y | 0x20) >= 'a' && (y | 0x20) <= 'z') {
                    continue;
                }
                char ux = Character.toUpperCase(x);
                char uy = Character.toUpperCase(y);
                if (ux != uy && Character.toLowerCase(ux) != Character.toLowerCase(uy)) {
                    return false;
                }
            }
        }
        return true;
    }
}
