package dev.warden;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which build runs: the version and the commit it was built from, as the build wrote them into
 * {@code warden-build.properties} (git-commit-id-maven-plugin). A build from a tree without git says "unknown".
 *
 * @param dirty the tree had changes not committed when it was built
 */
public record BuildInfo(String version, String commit, String commitTime, boolean dirty) {

    static final String RESOURCE = "/warden-build.properties";
    private static final BuildInfo CURRENT = read();

    public static BuildInfo get() {
        return CURRENT;
    }

    /** {@code 0.1.0-SNAPSHOT (commit 1a2b3c4d5e of 2026-12-04T22:40:00Z, with uncommitted changes)}. */
    public String display() {
        if (commit.equals("unknown")) {
            return version + " (commit unknown: built without git)";
        }
        return version + " (commit " + commit + " of " + commitTime + (dirty ? ", with uncommitted changes" : "") + ")";
    }

    private static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource is the same as none: the version is still known from the manifest, or not.
        }
        String manifest = BuildInfo.class.getPackage().getImplementationVersion();
        String version = p.getProperty("git.build.version", manifest == null ? "unknown" : manifest);
        return new BuildInfo(version, p.getProperty("git.commit.id.abbrev", "unknown"),
                p.getProperty("git.commit.time", "unknown"), Boolean.parseBoolean(p.getProperty("git.dirty")));
    }
}
