package io.sfastream.pipeline.config;

import java.util.List;

/** A profile that cannot be used: every problem, each naming its key and what the key allows. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** The problems one by one (empty when the message says it all). */
    public List<String> problems() {
        return problems;
    }
}
