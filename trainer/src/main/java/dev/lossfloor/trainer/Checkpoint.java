package dev.lossfloor.trainer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model checkpoint: the model's shape, the tokenizer, every parameter, the optimizer's moments and the loop
 * position, in one file ending with its own SHA-256. Written to a temporary file, forced to disk and renamed over
 * the old one, so a crash leaves either the old or the new checkpoint, never half of one.
 */
public final class Checkpoint {
    public static final String FILE_NAME = "checkpoint.bin";
    /** The parameters of the evaluation with the lowest full-pass val_nll so far (eval, score and sample --best). */
    public static final String BEST_FILE_NAME = "checkpoint-best.bin";
    private static final byte[] MAGIC = "LOSSFLOOR-CKPT\n".getBytes(StandardCharsets.US_ASCII);
    /** 2 added the loop position (epoch, next window, running sums); format 1 files still load for eval. */
    private static final int FORMAT_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything a checkpoint holds. */
    public record Contents(GptConfig config, DataType dataType, Map<String, Object> tokenizerState,
                           Trainer.Position position, int optimizerSteps, Map<String, INDArray> parameters,
                           List<INDArray> firstMoments, List<INDArray> secondMoments) {
        public long step() { return position.step(); }

        public int completedEpochs() { return position.epoch() - 1; }
    }

    private Checkpoint() {}

    public static void write(Path file, GptModel model, AdamW optimizer, Map<String, Object> tokenizerState,
                             Trainer.Position position) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            GptConfig c = model.config();
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("vocab_size", c.vocabSize());
            header.put("layers", c.layers());
            header.put("heads", c.heads());
            header.put("embd", c.embd());
            header.put("context", c.context());
            header.put("dropout", c.dropout());
            header.put("tie_weights", c.tieWeights());
            header.put("data_type", model.dataType().name());
            header.put("tokenizer", tokenizerState);
            header.put("step", position.step());
            header.put("epoch", position.epoch());
            header.put("next_window", position.nextWindow());
            // doubles survive the JSON round trip exactly (Jackson writes the shortest repr that parses back)
            header.put("interval_nats", position.intervalNats());
            header.put("interval_tokens", position.intervalTokens());
            header.put("tokens_seen", position.tokensSeen());
            header.put("elapsed_s", position.elapsedSeconds());
            header.put("optimizer_steps", optimizer.stepCount());
            List<String> names = new ArrayList<>();
            for (GptModel.Parameter p : model.parameters()) names.add(p.name());
            header.put("parameters", names);
            byte[] headerBytes = JSON.writeValueAsBytes(header);
            out.writeInt(headerBytes.length);
            out.write(headerBytes);
            List<GptModel.Parameter> params = model.parameters();
            for (int i = 0; i < params.size(); i++) {
                Nd4j.write(params.get(i).array(), out);
                Nd4j.write(optimizer.firstMoment(i), out);
                Nd4j.write(optimizer.secondMoment(i), out);
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            writeAtomically(file, body, sha256(body, body.length));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, byte[] body, byte[] checksum) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        makeReadable(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(body));
                ch.write(java.nio.ByteBuffer.wrap(checksum));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files are created owner-only; run files should read like any other file (rw-r--r--). */
    public static void makeReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the default ACLs already apply
        }
    }

    /** Reads and verifies a checkpoint; a missing, truncated or corrupt file is a one-line {@link CheckpointException}. */
    public static Contents read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + " not found; train a model first (./lossfloor train --out DIR)");
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        if (all.length < MAGIC.length + 4 + 32 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC))
            throw new CheckpointException(file + " is not a lossfloor checkpoint (or is truncated); retrain or restore it");
        int bodyLength = all.length - 32;
        byte[] expected = Arrays.copyOfRange(all, bodyLength, all.length);
        if (!MessageDigest.isEqual(expected, sha256(all, bodyLength)))
            throw new CheckpointException(file + " is corrupt or truncated (SHA-256 mismatch); retrain or restore it from a copy");
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, bodyLength - MAGIC.length));
            int version = in.readInt();
            if (version != FORMAT_VERSION && version != 1)
                throw new CheckpointException(file + " has checkpoint format " + version + "; this lossfloor reads format "
                        + FORMAT_VERSION);
            byte[] headerBytes = new byte[in.readInt()];
            in.readFully(headerBytes);
            Map<String, Object> h = JSON.readValue(headerBytes, new TypeReference<>() {});
            GptConfig config = new GptConfig(num(h, "vocab_size"), num(h, "layers"), num(h, "heads"), num(h, "embd"),
                    num(h, "context"), ((Number) h.get("dropout")).doubleValue(), (Boolean) h.get("tie_weights"));
            @SuppressWarnings("unchecked") List<String> names = (List<String>) h.get("parameters");
            Map<String, INDArray> params = new LinkedHashMap<>();
            List<INDArray> m = new ArrayList<>(), v = new ArrayList<>();
            for (String name : names) {
                params.put(name, Nd4j.read(in));
                m.add(Nd4j.read(in));
                v.add(Nd4j.read(in));
            }
            @SuppressWarnings("unchecked") Map<String, Object> tokenizer = (Map<String, Object>) h.get("tokenizer");
            long step = ((Number) h.get("step")).longValue();
            Trainer.Position position = version == 1
                    ? new Trainer.Position(step, num(h, "completed_epochs") + 1, 0, 0, 0, 0, 0)
                    : new Trainer.Position(step, num(h, "epoch"), num(h, "next_window"),
                    // the running train_nll sums: since the last evaluation (files written before that was finer: the epoch's)
                    ((Number) h.getOrDefault("interval_nats", h.get("epoch_nats"))).doubleValue(),
                    ((Number) h.getOrDefault("interval_tokens", h.get("epoch_tokens"))).longValue(),
                    ((Number) h.get("tokens_seen")).longValue(), ((Number) h.get("elapsed_s")).doubleValue());
            return new Contents(config, DataType.valueOf((String) h.get("data_type")), tokenizer, position,
                    num(h, "optimizer_steps"), params, m, v);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException ce) throw ce;
            throw new CheckpointException(file + " could not be decoded (" + e.getMessage() + "); retrain or restore it");
        }
    }

    /** Copies a checkpoint's parameters and optimizer state into a model and optimizer of the same shape. */
    public static void load(Contents contents, GptModel model, AdamW optimizer) {
        load(contents, model);
        optimizer.restore(contents.optimizerSteps(), contents.firstMoments(), contents.secondMoments());
    }

    /** Copies a checkpoint's parameters into a model of the same shape. */
    public static void load(Contents contents, GptModel model) {
        for (GptModel.Parameter p : model.parameters()) {
            INDArray saved = contents.parameters().get(p.name());
            if (saved == null || !Arrays.equals(saved.shape(), p.array().shape()))
                throw new CheckpointException("checkpoint parameter '" + p.name() + "' is missing or has another shape");
            p.array().assign(saved);
        }
    }

    private static int num(Map<String, Object> h, String key) {
        Object v = h.get(key);
        if (!(v instanceof Number n)) throw new CheckpointException("checkpoint header lacks '" + key + "'");
        return n.intValue();
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checkpoint that cannot be used, with a one-line reason. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) { super(message); }
    }
}
