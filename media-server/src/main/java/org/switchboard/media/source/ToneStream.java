package org.switchboard.media.source;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tone_stream://} as FreeSWITCH writes it: segments {@code %(on_ms,off_ms,freq[,freq...])} separated by
 * {@code ;}, an optional {@code v=<dB>} level relative to full scale (default -7 dB; the tones of a segment share
 * it) and {@code loops=<n>} ({@code -1}: forever; default once).
 */
final class ToneStream implements AudioSource {

    private record Segment(int onSamples, int offSamples, double[] freqs) {
    }

    private final List<Segment> segments;
    private final double amplitude;
    private final int loops;
    private final int rate;
    private int loop;
    private int segment;
    private int inSegment;
    private long position;

    private ToneStream(List<Segment> segments, double amplitude, int loops, int rate) {
        this.segments = segments;
        this.amplitude = amplitude;
        this.loops = loops;
        this.rate = rate;
    }

    /** Parses the part after {@code tone_stream://}; the tones are made at {@code rate}. */
    static ToneStream parse(String spec, int rate) {
        int perMs = rate / 1000;
        List<Segment> segments = new ArrayList<>();
        double db = -7;
        int loops = 1;
        for (String part : spec.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("%(") && p.endsWith(")")) {
                String[] f = p.substring(2, p.length() - 1).split(",");
                if (f.length < 3) {
                    throw new IllegalArgumentException("tone segment '" + p + "' needs on,off and at least one frequency");
                }
                double[] freqs = new double[f.length - 2];
                for (int i = 2; i < f.length; i++) {
                    freqs[i - 2] = Double.parseDouble(f[i].strip());
                }
                segments.add(new Segment(Integer.parseInt(f[0].strip()) * perMs, Integer.parseInt(f[1].strip()) * perMs,
                        freqs));
            } else if (p.startsWith("v=")) {
                db = Double.parseDouble(p.substring(2));
            } else if (p.startsWith("loops=")) {
                loops = Integer.parseInt(p.substring(6));
            } else if (p.startsWith("L=")) {
                loops = Integer.parseInt(p.substring(2));
            } else {
                throw new IllegalArgumentException("tone_stream part '" + p + "' is not %(on,off,freq...), v= or loops=");
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("tone_stream://" + spec + " has no %(on,off,freq) segment");
        }
        return new ToneStream(List.copyOf(segments), 32767 * Math.pow(10, db / 20), loops, rate);
    }

    @Override
    public int rate() {
        return rate;
    }

    @Override
    public int read(short[] buffer, int offset, int length) {
        int written = 0;
        while (written < length) {
            if (loops >= 0 && loop >= loops) {
                break;
            }
            Segment s = segments.get(segment);
            int total = s.onSamples() + s.offSamples();
            int n = Math.min(length - written, total - inSegment);
            for (int i = 0; i < n; i++) {
                int t = inSegment + i;
                double v = 0;
                if (t < s.onSamples()) {
                    for (double f : s.freqs()) {
                        v += Math.sin(2 * Math.PI * f * t / rate);
                    }
                    v = v * amplitude / s.freqs().length;
                }
                buffer[offset + written + i] = (short) Math.round(v);
            }
            written += n;
            inSegment += n;
            if (inSegment >= total) {
                inSegment = 0;
                if (++segment == segments.size()) {
                    segment = 0;
                    loop++;
                }
            }
        }
        position += written;
        return written == 0 ? -1 : written;
    }

    @Override
    public long remaining() {
        if (loops < 0) {
            return -1;
        }
        long once = segments.stream().mapToLong(g -> (long) g.onSamples() + g.offSamples()).sum();
        return Math.max(0, once * loops - position);
    }

    @Override
    public long position() {
        return position;
    }
}
