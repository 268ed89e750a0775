package dev.warden.decision;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One row of the problem table: a code, what it means, its priority, which codes it supersedes when both are
 * found (explicit precedence, not an if-chain), and the matcher that finds it.
 */
public record ProblemRule(FindingCode code, String description, int priority, Set<FindingCode> supersedes,
                          Function<Analyzer.Context, List<Analyzer.Hit>> matcher) {
}
