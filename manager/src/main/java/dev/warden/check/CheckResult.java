package dev.warden.check;

/**
 * One check on one server (or on the cluster): its name, verdict, and a sentence saying what was seen and,
 * unless it passed, what to do.
 */
public record CheckResult(String subject, String check, Verdict verdict, String detail) {

    public static CheckResult pass(String subject, String check, String detail) {
        return new CheckResult(subject, check, Verdict.PASS, detail);
    }

    public static CheckResult warn(String subject, String check, String detail) {
        return new CheckResult(subject, check, Verdict.WARN, detail);
    }

    public static CheckResult fail(String subject, String check, String detail) {
        return new CheckResult(subject, check, Verdict.FAIL, detail);
    }
}
