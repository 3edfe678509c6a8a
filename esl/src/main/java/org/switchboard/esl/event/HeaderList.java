package org.switchboard.esl.event;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The headers of a received event once all are read: names and values kept as two arrays of strings, a
 * {@link EslEvent.Header} made each time one is asked for. A listener that walks the headers and reads their strings
 * then allocates no record per header (the JIT sees that the record does not outlive the loop), which is a
 * sixth of the cost of reading a whole JSON event. Immutable; equal to any list of the same headers.
 */
final class HeaderList extends AbstractList<EslEvent.Header> implements RandomAccess {

    private final String[] names;
    private final String[] values;
    private final int size;

    /** Takes both arrays (nobody else keeps them); their first {@code size} entries are the headers, none null. */
    HeaderList(String[] names, String[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    @Override
    public EslEvent.Header get(int index) {
        Objects.checkIndex(index, size);
        return new EslEvent.Header(names[index], values[index]);
    }

    @Override
    public int size() {
        return size;
    }

    // simpler than AbstractList's (no modification count to check on an immutable list), so that it inlines
    @Override
    public Iterator<EslEvent.Header> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public EslEvent.Header next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new EslEvent.Header(names[i], values[i]);
            }
        };
    }

    /** The value of the first header of that name (case-insensitive), or null; makes no record. */
    String find(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }
}
