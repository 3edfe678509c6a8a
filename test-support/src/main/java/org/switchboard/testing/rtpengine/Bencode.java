package org.switchboard.testing.rtpengine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Bencoding, as rtpengine's ng protocol uses it: strings (UTF-8), integers, lists and dictionaries (sorted keys). */
final class Bencode {

    private Bencode() {
    }

    static void write(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (value instanceof Integer || value instanceof Long) {
            out.writeBytes(("i" + value + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof List<?> list) {
            out.write('l');
            list.forEach(v -> write(v, out));
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            new TreeMap<>(map).forEach((k, v) -> {
                write(k, out);
                write(v, out);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + value);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readDictionary(byte[] b, int from, int to) {
        Reader r = new Reader(b, from, to);
        Object value = r.value();
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("not a dictionary: " + value);
        }
        return (Map<String, Object>) value;
    }

    private static final class Reader {
        private final byte[] b;
        private final int to;
        private int at;

        Reader(byte[] b, int from, int to) {
            this.b = b;
            this.at = from;
            this.to = to;
        }

        Object value() {
            if (at >= to) {
                throw new IllegalArgumentException("bencoding cut short");
            }
            switch (b[at]) {
                case 'd' -> {
                    at++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (b[at] != 'e') {
                        String key = (String) value();
                        map.put(key, value());
                    }
                    at++;
                    return map;
                }
                case 'l' -> {
                    at++;
                    List<Object> list = new ArrayList<>();
                    while (b[at] != 'e') {
                        list.add(value());
                    }
                    at++;
                    return list;
                }
                case 'i' -> {
                    int end = indexOf('e');
                    long n = Long.parseLong(new String(b, at + 1, end - at - 1, StandardCharsets.US_ASCII));
                    at = end + 1;
                    return n;
                }
                default -> {
                    int colon = indexOf(':');
                    int length = Integer.parseInt(new String(b, at, colon - at, StandardCharsets.US_ASCII));
                    String s = new String(b, colon + 1, length, StandardCharsets.UTF_8);
                    at = colon + 1 + length;
                    return s;
                }
            }
        }

        private int indexOf(char c) {
            for (int i = at; i < to; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            throw new IllegalArgumentException("bencoding cut short");
        }
    }
}
