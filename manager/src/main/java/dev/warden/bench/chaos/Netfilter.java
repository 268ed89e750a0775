package dev.warden.bench.chaos;

import dev.warden.sandbox.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Network partitions on 127.0.0.1 for one round of the campaign, with iptables. Traffic to or from a port (a
 * server's) is matched by port; traffic of one process (the manager, a replica's IO thread) by its cgroup (v2):
 * such a process runs in a cgroup of the round's own, and only sockets it creates there are matched (a socket stays in
 * the cgroup it was made in), so the manager is started inside its group and a replica's IO thread reconnects after
 * the move. Every rule carries a comment naming the round; {@link #close} removes them and the groups, and
 * {@link #sweep} removes what a crashed run left. Needs root, iptables with the cgroup match and a cgroup v2 mount.
 */
public final class Netfilter implements AutoCloseable {

    static final String MARK = "warden-chaos";
    private static final Duration CMD = Duration.ofSeconds(10);

    /** One rule as its iptables arguments after the chain. */
    public record Rule(List<String> spec) {
    }

    private final String tag;
    private final Path root;
    private final Path base;
    private final List<Rule> rules = new ArrayList<>();

    private Netfilter(String tag, Path root) throws IOException {
        this.tag = tag;
        this.root = root;
        this.base = Files.createDirectories(root.resolve(MARK + "-" + tag));
    }

    /** Why partitions cannot be made here, or empty when they can. */
    public static Optional<String> unavailable() {
        if (!"0".equals(uid())) {
            return Optional.of("partitions need root (iptables, cgroups)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/iptables"))) {
            return Optional.of("partitions need iptables (apt-get install iptables)");
        }
        if (cgroup2().isEmpty()) {
            return Optional.of("partitions need a cgroup v2 hierarchy (no cgroup2 mount in /proc/mounts)");
        }
        Processes.Result r = Processes.run(List.of("/usr/sbin/iptables", "-m", "cgroup", "--help"), null, CMD);
        if (r.exitCode() != 0 || !r.output().contains("--path")) {
            return Optional.of("iptables has no cgroup match here: " + r.output().lines().findFirst().orElse(""));
        }
        return Optional.empty();
    }

    public static Netfilter open(String tag) throws IOException {
        return new Netfilter(tag, cgroup2().orElseThrow());
    }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1];
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "?";
    }

    /** Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems). */
    static Optional<Path> cgroup2() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    return Optional.of(Path.of(f[1]));
                }
            }
        } catch (IOException e) {
            // none
        }
        return Optional.empty();
    }

    /** The group of {@code name} in this round, made if needed; its path as iptables' --path wants it. */
    public String group(String name) throws IOException {
        Files.createDirectories(base.resolve(name));
        return root.relativize(base.resolve(name)).toString();
    }

    /** The file a process writes its own PID to, to enter the group (a shell's {@code echo $$ > FILE}). */
    public Path procs(String name) throws IOException {
        group(name);
        return base.resolve(name).resolve("cgroup.procs");
    }

    /** Moves a running process into the group: sockets it makes from now on are matched by the group's rules. */
    void place(String name, long pid) throws IOException {
        Files.writeString(procs(name), Long.toString(pid));
    }

    /** Everything the processes of {@code group} send to {@code port} is dropped (timeouts). */
    public Rule drop(String group, int port) {
        return add(List.of("-o", "lo", "-p", "tcp", "--dport", Integer.toString(port), "-m", "cgroup", "--path",
                group), "DROP");
    }

    /** Connections of {@code group} to {@code port} are refused and reset (as by a closed port). */
    Rule refuse(String group, int port) {
        return add(List.of("-o", "lo", "-p", "tcp", "--dport", Integer.toString(port), "-m", "cgroup", "--path",
                group), "REJECT", "--reject-with", "tcp-reset");
    }

    /** Nothing reaches {@code port} and nothing leaves it, for anyone: the server behind it is isolated. */
    public List<Rule> isolate(int port) {
        return List.of(add(List.of("-o", "lo", "-p", "tcp", "--dport", Integer.toString(port)), "DROP"),
                add(List.of("-o", "lo", "-p", "tcp", "--sport", Integer.toString(port)), "DROP"));
    }

    /**
     * Nothing reaches {@code port} and nothing leaves it, except for the processes of {@code group}: a site (its
     * manager, the server behind the port) cut off from everything else. The connections the group opens to the
     * port are marked (conntrack), so the server's replies on them pass too.
     */
    public List<Rule> isolateWithin(int port, String group) {
        String p = Integer.toString(port);
        List<Rule> out = new ArrayList<>(isolate(port));
        // Inserted at the top, each before the last: the mark is set, then the group's traffic accepted, then the
        // replies on marked connections, all ahead of the drops.
        out.add(add(List.of("-o", "lo", "-p", "tcp", "--sport", p, "-m", "connmark", "--mark", SITE_MARK), "ACCEPT"));
        out.add(add(List.of("-o", "lo", "-p", "tcp", "--dport", p, "-m", "cgroup", "--path", group), "ACCEPT"));
        out.add(add(List.of("-o", "lo", "-p", "tcp", "--dport", p, "-m", "cgroup", "--path", group), "CONNMARK",
                "--set-mark", SITE_MARK));
        return out;
    }

    private static final String SITE_MARK = "0x5741";

    private Rule add(List<String> match, String... target) {
        List<String> spec = new ArrayList<>(match);
        spec.addAll(List.of("-m", "comment", "--comment", MARK + "-" + tag, "-j"));
        spec.addAll(List.of(target));
        iptables("-I", spec);
        Rule r = new Rule(List.copyOf(spec));
        rules.add(r);
        return r;
    }

    void remove(Rule r) {
        if (rules.remove(r)) {
            iptables("-D", r.spec());
        }
    }

    public void heal() {
        for (Rule r : List.copyOf(rules)) {
            remove(r);
        }
    }

    private static void iptables(String op, List<String> spec) {
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/iptables", "-w", op, "OUTPUT"));
        cmd.addAll(spec);
        Processes.Result r = Processes.run(cmd, null, CMD);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output().trim());
        }
    }

    /** Removes the rules, moves the processes still in the groups back to the root group, removes the groups. */
    @Override
    public void close() {
        heal();
        removeGroups(root, base);
    }

    private static void removeGroups(Path root, Path dir) {
        try (var children = Files.list(dir)) {
            for (Path g : children.filter(Files::isDirectory).toList()) {
                for (String pid : Files.readAllLines(g.resolve("cgroup.procs"))) {
                    try {
                        Files.writeString(root.resolve("cgroup.procs"), pid.trim());
                    } catch (IOException gone) {
                        // the process ended meanwhile
                    }
                }
                Files.deleteIfExists(g);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left for the next sweep
        }
    }

    /** Removes the rules and groups earlier runs left behind (a run that was killed). */
    /**
     * Whether the campaign that made a rule or group still runs: its tag ends with that campaign's PID
     * ({@code warden-chaos-<seed>-<pid>}); a live campaign's partitions are not ours to remove.
     */
    static boolean ownerAlive(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(MARK + "-[0-9a-f]+-([0-9]+)").matcher(text);
        if (!m.find()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void sweep() {
        if (unavailable().isPresent()) {
            return;
        }
        Processes.Result r = Processes.run(List.of("/usr/sbin/iptables", "-w", "-S", "OUTPUT"), null, CMD);
        for (String line : r.output().lines().toList()) {
            if (line.startsWith("-A OUTPUT ") && line.contains(MARK) && !ownerAlive(line)) {
                List<String> cmd = new ArrayList<>(List.of("/usr/sbin/iptables", "-w", "-D", "OUTPUT"));
                cmd.addAll(splitRule(line.substring("-A OUTPUT ".length())));
                Processes.run(cmd, null, CMD);
            }
        }
        Path root = cgroup2().orElseThrow();
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(MARK + "-")
                    && !ownerAlive(p.getFileName().toString())).toList()) {
                removeGroups(root, d);
            }
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    /** Splits iptables -S output into arguments (a comment with spaces comes quoted). */
    static List<String> splitRule(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ' ' && !quoted) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(ch);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
