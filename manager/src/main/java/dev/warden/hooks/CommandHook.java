package dev.warden.hooks;

import dev.warden.config.HookConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a command hook: payload in the environment and as JSON on stdin, Orchestrator's {placeholders} replaced
 * in its arguments; exit 0 is success.
 */
final class CommandHook {

    private CommandHook() {
    }

    /** One attempt: null when it succeeded, else why not. Throws TimeoutException after killing it. */
    static String attempt(HookConfig h, HookPayload p) throws IOException, InterruptedException, TimeoutException {
        Path out = Files.createTempFile("warden-hook", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(OrchestratorHookVars.substitute(h.command(), p))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(p.environment());
            Process proc = pb.start();
            // Written on its own thread: a command that never reads its input must not hold up its deadline.
            byte[] json = p.json();
            Thread feeder = new Thread(() -> {
                try (OutputStream in = proc.getOutputStream()) {
                    in.write(json);
                } catch (IOException e) {
                    // the command does not read stdin, or was killed: fine
                }
            }, "hook-stdin-" + h.name());
            feeder.setDaemon(true);
            feeder.start();
            if (!proc.waitFor(h.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
                proc.waitFor(5, TimeUnit.SECONDS);
                throw new TimeoutException("killed after " + h.timeout().toMillis() + " ms");
            }
            if (proc.exitValue() == 0) {
                return null;
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            return "exit " + proc.exitValue() + (text.isEmpty() ? "" : ": " + (text.length() > 200
                    ? text.substring(text.length() - 200) : text));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
