package app.statustracker.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real upstream payloads copied from shared/fixtures into src/test/resources/fixtures. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String load(String name) {
        return resource("fixtures/" + name);
    }

    /** Any test resource, by its path under src/test/resources. */
    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
