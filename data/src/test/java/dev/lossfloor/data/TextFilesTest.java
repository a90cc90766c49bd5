package dev.lossfloor.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsUtf8() throws IOException {
        Path file = dir.resolve("ok.txt");
        Files.writeString(file, "Grüße 😀\n", StandardCharsets.UTF_8);
        assertEquals("Grüße 😀\n", TextFiles.readUtf8(file));
    }

    @Test
    void dropsByteOrderMark() throws IOException {
        Path file = dir.resolve("bom.txt");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});
        assertEquals("hi", TextFiles.readUtf8(file));
    }

    @Test
    void reportsByteOffsetOfInvalidUtf8() throws IOException {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'a', 'b', 'c', (byte) 0xFF, 'd'});
        DataException e = assertThrows(DataException.class, () -> TextFiles.readUtf8(file));
        assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("iconv"), e.getMessage());

        // A truncated multi-byte sequence after a valid one: "é" is 2 bytes, then a lone lead byte.
        Path truncated = dir.resolve("truncated.txt");
        Files.write(truncated, new byte[] {(byte) 0xC3, (byte) 0xA9, 'x', (byte) 0xE2, (byte) 0x82});
        DataException e2 = assertThrows(DataException.class, () -> TextFiles.readUtf8(truncated));
        assertTrue(e2.getMessage().contains("byte offset 3"), e2.getMessage());
    }

    @Test
    void reportsEmptyFile() throws IOException {
        Path file = dir.resolve("empty.txt");
        Files.write(file, new byte[0]);
        DataException e = assertThrows(DataException.class, () -> TextFiles.readUtf8(file));
        assertTrue(e.getMessage().contains(file + " is empty"), e.getMessage());
        DataException hinted = assertThrows(DataException.class,
                () -> TextFiles.readUtf8(file, "with at least 257 characters (--context 256)"));
        assertTrue(hinted.getMessage().endsWith("give a UTF-8 text file with at least 257 characters (--context 256)"),
                hinted.getMessage());
    }

    @Test
    void reportsMissingFileAndDirectory() {
        Path missing = dir.resolve("nope.txt");
        DataException e = assertThrows(DataException.class, () -> TextFiles.readUtf8(missing));
        assertEquals(missing + " not found; check the path", e.getMessage());
        assertThrows(DataException.class, () -> TextFiles.sha256(missing));
        DataException directory = assertThrows(DataException.class, () -> TextFiles.readUtf8(dir));
        assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
    }

    @Test
    void hashesFiles() throws IOException {
        Path file = dir.resolve("abc.txt");
        Files.writeString(file, "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextFiles.sha256(file));
    }
}
