package dev.warden.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in configuration values with environment variables;
 * {@code $$} stands for a literal {@code $}.
 */
public final class EnvSubstitution {

    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Function<String, String> env;

    public EnvSubstitution(Function<String, String> env) {
        this.env = env;
    }

    public static EnvSubstitution fromSystem() {
        return new EnvSubstitution(System::getenv);
    }

    public static EnvSubstitution from(Map<String, String> vars) {
        return new EnvSubstitution(vars::get);
    }

    /** The substituted text. */
    public String apply(String text) throws MissingVariableException {
        if (text == null || text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = env.apply(m.group(1));
                if (value == null) {
                    if (m.group(2) == null) {
                        throw new MissingVariableException(m.group(1));
                    }
                    value = m.group(3);
                }
                replacement = value;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A referenced variable is not set and has no default. */
    public static final class MissingVariableException extends Exception {
        private final String variable;

        MissingVariableException(String variable) {
            super("environment variable " + variable + " is not set (write ${" + variable
                    + ":-default} to give a default)");
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }
}
