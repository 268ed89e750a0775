package dev.warden.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot be used; lists every problem found, not just the first. */
public final class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public ConfigException(String file, List<ConfigProblem> problems) {
        super(render(file, problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(String file, List<ConfigProblem> problems) {
        String head = problems.size() == 1
                ? "configuration " + file + " has 1 problem:"
                : "configuration " + file + " has " + problems.size() + " problems:";
        return head + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
