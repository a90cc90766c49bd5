package dev.lossfloor.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded in every run's config.json. */
final class Versions {
    static final String DL4J = "1.0.0-M2.1";

    private Versions() {}

    static String lossfloor() {
        try (InputStream in = Versions.class.getResourceAsStream("/lossfloor-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
