package org.switchboard.testapps.callscope;

/** What the application saw, for the test: appended to {@code callscope.<key>} system properties. */
final class Report {

    private Report() {
    }

    static synchronized void add(String key, Object value) {
        String k = "callscope." + key;
        String before = System.getProperty(k);
        System.setProperty(k, before == null ? String.valueOf(value) : before + "," + value);
    }
}
