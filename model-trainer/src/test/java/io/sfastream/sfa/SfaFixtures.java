package io.sfastream.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON fixtures written by {@code src/test/resources/sfa/make_fixtures.py}. */
final class SfaFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SfaFixtures() {}

    static JsonNode load(String name) {
        try (InputStream in = SfaFixtures.class.getResourceAsStream("/sfa/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /sfa/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    static boolean[] booleans(JsonNode a) {
        boolean[] v = new boolean[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asBoolean();
        }
        return v;
    }

    static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = floats(rows.get(i));
        }
        return m;
    }
}
