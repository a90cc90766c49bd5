package dev.lossfloor.experiments;

import dev.lossfloor.data.corpora.CorpusRegistry;
import dev.lossfloor.data.corpora.CorpusStore;
import dev.lossfloor.data.corpora.NamedCorpus;
import dev.lossfloor.data.corpora.ProgressListener;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Lists the named corpora, whether each is already in the data directory, its split and its licence. */
@Command(name = "corpora", mixinStandardHelpOptions = true,
        description = "List the named corpora that --corpus NAME accepts, and which are already downloaded.")
final class CorporaCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CorpusStore store = CorpusStore.openDefault(ProgressListener.SILENT);
        System.out.println("data directory " + store.dataDir().toAbsolutePath() + " (set LOSSFLOOR_DATA to change it)");
        for (NamedCorpus c : CorpusRegistry.all()) {
            String state = store.isPresent(c) ? "present" : c.downloadable() ? "downloaded on first use" : "local only, missing";
            System.out.printf("%-16s %-24s %s%n%16s split: %s; licence: %s%n", c.name(), state, c.description(), "",
                    c.split().describe(), c.licence());
        }
        return 0;
    }
}
