package dev.warden.sandbox;

import java.nio.file.Path;
import java.util.List;

/** How to find, initialise and start the servers of one sandbox flavor. */
interface ServerDistribution {

    SandboxFlavor flavor();

    /** Finds (and if needed unpacks) the binaries; throws with the package to install when something is missing. */
    void prepare();

    /** "8.0.15", "10.11.19": part of the template cache key. */
    String version();

    /** Creates a freshly initialised datadir at {@code target} (which does not exist yet). */
    void initialize(Path target, Path workDir);

    /** Files of a copied template to delete so each copy is a distinct server (e.g. auto.cnf with the UUID). */
    List<String> perCopyFiles();

    /** The [mysqld] options of one instance. */
    List<String> serverOptions(InstanceLayout layout);

    /** The command line that starts a server with {@code configFile}. */
    List<String> command(Path configFile);

    /** Classpath resource of the grant file for this flavor. */
    String grantResource();
}
