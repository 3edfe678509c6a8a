package org.switchboard.container;

import java.util.List;

/** The container's configuration is not usable: unknown keys or bad values, each problem on its own line. */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem: the key, the value and what was expected, or the unknown key and the nearest known one. */
    public List<String> problems() {
        return problems;
    }
}
