/**
 * Named real corpora with verified downloads.
 *
 * <p>{@link dev.lossfloor.data.corpora.CorpusRegistry} lists the corpora lossfloor knows by name (tinyshakespeare,
 * enwik8, text8, wikitext-2-raw, and the local-only enwik8 prefixes enwik8-4m and enwik6): URL, SHA-256 of the
 * download and of every file, licence, and split rule. {@link dev.lossfloor.data.corpora.CorpusStore} finds their
 * files in the data directory ({@code $LOSSFLOOR_DATA}, else {@code ~/.cache/lossfloor}), verifies them, and
 * downloads or extracts what is missing; {@link dev.lossfloor.data.corpora.ResolvedCorpus#split()} then reads the
 * train, validation and test texts.
 *
 * <pre>{@code
 * CorpusStore store = CorpusStore.openDefault(ProgressListener.SILENT);
 * CorpusSplit split = store.resolve(CorpusRegistry.get("tinyshakespeare")).split();
 * Split forTraining = split.toSplit(); // 1,003,854 / 111,540 characters
 * }</pre>
 */
package dev.lossfloor.data.corpora;
