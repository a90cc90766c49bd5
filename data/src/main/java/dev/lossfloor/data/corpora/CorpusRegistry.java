package dev.lossfloor.data.corpora;

import dev.lossfloor.data.DataException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real corpora lossfloor knows by name, with the SHA-256 of every file it downloads or extracts.
 *
 * <p>Where each checksum comes from is written next to it. None was computed by this project from a download
 * (the machines it was written on had no internet access), so each one is taken from a public, citable source,
 * and where a single authoritative source was lacking, from several independent ones that agree.
 */
public final class CorpusRegistry {

    private static final Map<String, NamedCorpus> CORPORA = new LinkedHashMap<>();

    static {
        // SHA-256 and size: the brief's values, equal to /work/shared/corpora/MANIFEST.tsv (tinyshakespeare.txt,
        // copied from karpathy/char-rnn data/tinyshakespeare/input.txt at commit 6f9487a).
        add(new NamedCorpus("tinyshakespeare",
                "Tiny Shakespeare: 40,000 lines of Shakespeare plays (Karpathy's char-rnn), 1.1 MB of ASCII",
                "Shakespeare's text is public domain; the char-rnn repository that hosts it is MIT-licensed",
                new CorpusSource.Plain(URI.create(
                        "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt")),
                List.of(new CorpusFile("tinyshakespeare.txt",
                        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394)),
                new SplitRule.FirstFraction(0.9)));

        // enwik8.zip: sha256 and size (36,445,475 bytes) from huggingface/datasets,
        // datasets/enwik8/dataset_infos.json (commit 040102f100964a33fd334e2695f1c493fa6b92db), "download_checksums"
        // for http://mattmahoney.net/dc/enwik8.zip; several other public repositories pin the same value.
        // enwik8 (the extracted 10^8 bytes): no authoritative list publishes its sha256; the value below is the one
        // independent public repositories agree on, one of them recording `sha256sum enwik8.zip enwik8` output that
        // pairs it with the archive checksum above. Both are checked: the archive on download, the file on extraction.
        add(new NamedCorpus("enwik8",
                "enwik8: the first 10^8 bytes of the English Wikipedia XML dump of 2006-03-03 (Hutter Prize)",
                "Wikipedia text (GFDL, now also CC BY-SA); the Hutter Prize corpus, freely redistributed",
                new CorpusSource.Zip(URI.create("http://mattmahoney.net/dc/enwik8.zip"), "enwik8.zip",
                        "547994d9980ebed1288380d652999f38a14fe291a6247c157c3d33d4932534bc", 36_445_475),
                List.of(new CorpusFile("enwik8",
                        "2b49720ec4d78c3c9fabaee6e4179a5e997302b3a70029f30f2d582218c024a8", 100_000_000)),
                new SplitRule.ByteCounts(90_000_000, 5_000_000, 5_000_000)));

        // text8.zip and text8: no authoritative checksum list (Hugging Face, torchtext, TFDS) covers text8. Both values
        // are the ones several independent public repositories pin and agree on (among them a Haskell Setup.hs that
        // downloads http://mattmahoney.net/dc/text8.zip and a torchtext _download_extract_validate call that pins the
        // archive and the extracted file together). The archive size, 31,344,016 bytes, is the one TensorFlow's
        // word2vec tutorial checks (maybe_download('text8.zip', 31344016)).
        add(new NamedCorpus("text8",
                "text8: enwik8's source text cleaned to lower-case a-z and spaces, 10^8 characters (Mahoney)",
                "derived from Wikipedia text (GFDL, now also CC BY-SA); freely redistributed",
                new CorpusSource.Zip(URI.create("http://mattmahoney.net/dc/text8.zip"), "text8.zip",
                        "a6640522afe85d1963ad56c05b0ede0a0c000dddc9671758a6cc09b7a38e5232", 31_344_016),
                List.of(new CorpusFile("text8",
                        "6e890197040d37d85beb962ae1f041ff1d9a9ca8d20c7d99c85027eebf51dca7", 100_000_000)),
                new SplitRule.CharCounts(90_000_000, 5_000_000, 5_000_000)));

        // wikitext-2-raw-v1.zip: sha256 and size (4,721,645 bytes) from huggingface/datasets,
        // datasets/wikitext/dataset_infos.json (commit 040102f100964a33fd334e2695f1c493fa6b92db), "download_checksums"
        // of the wikitext-2-raw-v1 config for this exact S3 URL.
        // wiki.valid.raw and wiki.test.raw: the brief's values, equal to /work/shared/corpora/MANIFEST.tsv.
        // wiki.train.raw (10,940,747 bytes): the value independent public repositories pin, each listing it together
        // with the archive checksum above and the valid/test checksums above.
        add(new NamedCorpus("wikitext-2-raw",
                "WikiText-2 (raw): Wikipedia Good and Featured articles, official train/valid/test files (Merity et al.)",
                "Creative Commons Attribution-ShareAlike (WikiText, Merity et al. 2016; Wikipedia text, also GFDL)",
                new CorpusSource.Zip(URI.create(
                        "https://s3.amazonaws.com/research.metamind.io/wikitext/wikitext-2-raw-v1.zip"),
                        "wikitext-2-raw-v1.zip",
                        "ef7edb566e3e2b2d31b29c1fdb0c89a4cc683597484c3dc2517919c615435a11", 4_721_645),
                List.of(new CorpusFile("wikitext-2-raw/wiki.train.raw",
                                "6707892fa3788b5ab9ed78ab5ff37d9fe825f6011a2ad4fcd6a6d467f0e7da57", 10_940_747),
                        new CorpusFile("wikitext-2-raw/wiki.valid.raw",
                                "4cd0f6876d07a413aa911261ff6d363c72d757d47f0fdd6015702014c89cb9c7", 1_146_846),
                        new CorpusFile("wikitext-2-raw/wiki.test.raw",
                                "173c87a53759e0201f33e0ccf978e510c2042d7f2cb78229d9a50d79b9e7dd08", 1_290_590)),
                new SplitRule.SeparateFiles("wikitext-2-raw/wiki.train.raw", "wikitext-2-raw/wiki.valid.raw",
                        "wikitext-2-raw/wiki.test.raw")));

        // Prefixes of enwik8 kept in the shared corpora directory; checksums from /work/shared/corpora/MANIFEST.tsv
        // (enwik6's matches the published enwik6 value; for the 4 MB prefix only its first 1,048,576 bytes were checked
        // against published checksums). No URL serves them. Split 90/5/5 like enwik8 (a lossfloor convention).
        add(new NamedCorpus("enwik8-4m",
                "the first 4,000,000 bytes of enwik8 (a quick stand-in for enwik8)",
                "Wikipedia text (GFDL, now also CC BY-SA); the Hutter Prize corpus, freely redistributed",
                new CorpusSource.LocalOnly("it is a local prefix of enwik8 that no URL serves; make it with"
                        + " head -c 4000000 enwik8 > enwik8_head_4000000.txt in the data directory"),
                List.of(new CorpusFile("enwik8_head_4000000.txt",
                        "9f9ca3a41e2b87a0268d00380577e2c308e07959b22a94c8d7b1e8901bdefc37", 4_000_000)),
                new SplitRule.ByteCounts(3_600_000, 200_000, 200_000)));
        add(new NamedCorpus("enwik6",
                "enwik6: the first 10^6 bytes of enwik8",
                "Wikipedia text (GFDL, now also CC BY-SA); the Hutter Prize corpus, freely redistributed",
                new CorpusSource.LocalOnly("it is a local prefix of enwik8 that no URL serves; make it with"
                        + " head -c 1000000 enwik8 > enwik6.txt in the data directory"),
                List.of(new CorpusFile("enwik6.txt",
                        "369b688978f649681136198fb96db14c1616756260c55fb4b65e9bc049552cad", 1_000_000)),
                new SplitRule.ByteCounts(900_000, 50_000, 50_000)));
    }

    private CorpusRegistry() {
    }

    private static void add(NamedCorpus corpus) {
        if (CORPORA.putIfAbsent(corpus.name(), corpus) != null) {
            throw new IllegalStateException("corpus " + corpus.name() + " registered twice");
        }
    }

    /** The known names, in registry order. */
    public static List<String> names() {
        return List.copyOf(CORPORA.keySet());
    }

    /** Every known corpus, in registry order. */
    public static List<NamedCorpus> all() {
        return List.copyOf(CORPORA.values());
    }

    /** Whether {@code name} is a known corpus. */
    public static boolean contains(String name) {
        return CORPORA.containsKey(name);
    }

    /** The corpus called {@code name}; an unknown name is a {@link DataException} that lists the known ones. */
    public static NamedCorpus get(String name) {
        NamedCorpus corpus = CORPORA.get(name);
        if (corpus == null) {
            throw new DataException("unknown corpus \"" + name + "\"; known corpora: " + String.join(", ", names()));
        }
        return corpus;
    }
}
