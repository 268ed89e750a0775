package dev.warden.cli;

import dev.warden.migrate.OrchestratorImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden import-orchestrator}: an orchestrator.conf.json turned into a warden.yaml, with what did not map. */
@Command(name = "import-orchestrator", mixinStandardHelpOptions = true,
        description = "Convert an orchestrator.conf.json into a warden.yaml (in observe mode, to run beside "
                + "orchestrator first) and list, key by key with its line, what maps and what does not and why.")
final class ImportOrchestratorCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "orchestrator.conf.json")
    Path source;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the YAML there (default: standard output); "
            + "an existing file is not overwritten.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("warden: cannot read " + source + " (" + e.getMessage() + "); give the path of an "
                    + "orchestrator.conf.json");
            err.flush();
            return WardenCommand.USAGE;
        }
        OrchestratorImport.Result r;
        try {
            r = OrchestratorImport.convert(text);
        } catch (IllegalArgumentException e) {
            err.println("warden: " + source + ": " + e.getMessage());
            err.flush();
            return WardenCommand.USAGE;
        }
        if (out != null) {
            if (Files.exists(out)) {
                err.println("warden: " + out + " exists; nothing was written. Give another --out, or remove it first.");
                err.flush();
                return WardenCommand.USAGE;
            }
            try {
                Files.writeString(out, r.yaml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("warden: cannot write " + out + " (" + e.getMessage() + ")");
                err.flush();
                return WardenCommand.FAILED;
            }
        } else {
            o.print(r.yaml());
        }
        err.println("# " + source + ": " + r.report().stream().filter(OrchestratorImport.Line::mapped).count()
                + " key(s) mapped, " + r.report().stream().filter(l -> !l.mapped()).count() + " not:");
        r.report().forEach(l -> err.println("#   " + l));
        if (out != null) {
            err.println("# wrote " + out + "; check it with: warden check -c " + out);
        }
        o.flush();
        err.flush();
        return WardenCommand.OK;
    }
}
