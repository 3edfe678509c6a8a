package org.switchboard.testapps.features;

/** What the application saw, for the test: appended to {@code features.<key>} system properties. */
final class Report {

    private Report() {
    }

    static synchronized void add(String key, Object value) {
        String k = "features." + key;
        String before = System.getProperty(k);
        System.setProperty(k, before == null ? String.valueOf(value) : before + "," + value);
    }
}
