package dev.warden.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks with ldd that a binary's shared libraries are installed, naming the Debian package that is missing. */
final class SharedLibraries {

    private static final Map<String, String> PACKAGES = Map.of(
            "libaio.so.1", "libaio1",
            "libnuma.so.1", "libnuma1",
            "libncurses.so.5", "libncurses5",
            "libtinfo.so.5", "libtinfo5");

    private SharedLibraries() {
    }

    static void requireAll(Path binary, String what) {
        Processes.Result r = Processes.run(List.of("ldd", binary.toString()), null, Duration.ofSeconds(30));
        String problem = problem(what, r.output());
        if (problem != null) {
            throw new SandboxException(problem);
        }
    }

    /** What to install, from ldd's output; null when nothing is missing. */
    static String problem(String what, String lddOutput) {
        List<String> missing = new ArrayList<>();
        for (String line : lddOutput.split("\n")) {
            if (line.contains("not found")) {
                missing.add(line.trim().split("\\s+")[0]);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        List<String> packages = missing.stream().map(lib -> PACKAGES.getOrDefault(lib, "the package providing " + lib))
                .distinct().toList();
        return what + " needs " + String.join(", ", missing) + ", which "
                + (missing.size() == 1 ? "is" : "are") + " not installed: install the Debian package"
                + (packages.size() == 1 ? " " : "s ") + String.join(" ", packages)
                + " (apt-get install " + String.join(" ", packages) + ")";
    }
}
