package dev.lossfloor.experiments.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationTest {
    @TempDir
    Path dir;

    @Test
    void eceIsTheCountWeightedGapBetweenAccuracyAndConfidence() {
        Calibration c = new Calibration(10);
        // bin 9: confidence 0.95 four times, right twice -> accuracy 0.5, gap 0.45
        for (int i = 0; i < 4; i++) c.add(0.95, i < 2);
        // bin 2: confidence 0.25 four times, right once -> accuracy 0.25, gap 0
        for (int i = 0; i < 4; i++) c.add(0.25, i == 0);
        assertEquals(8, c.tokens());
        assertEquals(3, c.correct());
        assertEquals(0.375, c.accuracy(), 1e-12);
        assertEquals(0.6, c.meanConfidence(), 1e-12);
        assertEquals(0.5, c.accuracy(9), 1e-12);
        assertEquals(0.95, c.meanConfidence(9), 1e-12);
        assertTrue(Double.isNaN(c.accuracy(5)), "an empty bin has no accuracy");
        assertEquals(0.5 * 0.45 + 0.5 * 0.0, c.expectedCalibrationError(), 1e-12);
        assertEquals(9, c.bin(1.0), "confidence 1 falls into the last bin");
        assertEquals(0, c.bin(0.0));

        Calibration both = new Calibration(10);
        both.add(c);
        both.add(c);
        assertEquals(16, both.tokens());
        assertEquals(c.expectedCalibrationError(), both.expectedCalibrationError(), 1e-12);
    }

    @Test
    void aPerfectlyCalibratedTallyHasNoError() {
        Calibration c = new Calibration();
        for (int i = 0; i < 10; i++) c.add(0.7, i < 7);
        assertEquals(0, c.expectedCalibrationError(), 1e-12);
    }

    @Test
    void theReliabilityDiagramIsAPngOfTheDocumentedSize() throws Exception {
        Calibration c = new Calibration();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 5000; i++) {
            double conf = 0.05 + 0.95 * r.nextDouble();
            c.add(conf, r.nextDouble() < conf * 0.8);
        }
        Path png = dir.resolve("reliability.png");
        ReliabilityDiagram.write(png, c, "sample.txt");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(ReliabilityDiagram.WIDTH, img.getWidth());
        assertEquals(ReliabilityDiagram.HEIGHT, img.getHeight());
        assertEquals("987", ReliabilityDiagram.compact(987));
        assertEquals("12.3k", ReliabilityDiagram.compact(12_345));
        assertEquals("456k", ReliabilityDiagram.compact(456_000));
        assertEquals("1.2M", ReliabilityDiagram.compact(1_234_567));
    }
}
