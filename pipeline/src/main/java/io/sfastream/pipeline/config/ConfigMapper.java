package io.sfastream.pipeline.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.util.TimeUtils;

/**
 * YAML ↔ {@link PipelineConfig}: a profile is merged key by key over the defaults' tree (so a key
 * the defaults do not have is unknown), then bound to the records and validated. Enums are written
 * in lower case with hyphens, durations as Flink writes them, instants as ISO-8601.
 */
final class ConfigMapper {
    private static final ObjectMapper MAPPER = mapper();

    private ConfigMapper() {}

    static PipelineConfig parse(InputStream yaml, String origin) throws IOException {
        JsonNode user;
        try {
            user = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    origin + ": not valid YAML: " + e.getOriginalMessage(), List.of());
        }
        ObjectNode tree = toTree(PipelineConfig.defaults());
        if (user != null && !user.isMissingNode() && !user.isNull()) {
            if (!user.isObject()) {
                throw new ConfigException(
                        origin + ": a profile is a mapping of blocks (job:, kafka:, ...)",
                        List.of());
            }
            List<String> unknown = new ArrayList<>();
            merge(tree, (ObjectNode) user, "", unknown);
            if (!unknown.isEmpty()) {
                throw new ConfigException(origin + ": " + String.join("; ", unknown), unknown);
            }
        }
        return fromTree(tree, origin);
    }

    static ObjectNode toTree(PipelineConfig config) {
        return MAPPER.valueToTree(config);
    }

    /** The only settings that may be left empty (null): each means "derive it". */
    private static final java.util.Set<String> NULLABLE = java.util.Set.of("sfa.tau");

    static PipelineConfig fromTree(ObjectNode tree, String origin) {
        List<String> empty = new ArrayList<>();
        findNulls(tree, "", empty);
        if (!empty.isEmpty()) {
            throw new ConfigException(origin + ": " + String.join("; ", empty), empty);
        }
        PipelineConfig c;
        try {
            c = MAPPER.treeToValue(tree, PipelineConfig.class);
        } catch (JsonMappingException e) {
            String key =
                    e.getPath().stream()
                            .map(
                                    r ->
                                            r.getFieldName() != null
                                                    ? r.getFieldName()
                                                    : "[" + r.getIndex() + "]")
                            .collect(Collectors.joining("."))
                            .replace(".[", "[");
            String problem = key + ": " + e.getOriginalMessage().replaceAll("\\s*\\n.*", "");
            throw new ConfigException(origin + ": " + problem, List.of(problem));
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin + ": " + e.getOriginalMessage(), List.of());
        }
        try {
            return c.validate();
        } catch (ConfigException e) {
            throw new ConfigException(origin + ": " + e.getMessage(), e.problems());
        }
    }

    private static void findNulls(JsonNode node, String prefix, List<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                findNulls(e.getValue(), key + ".", out);
            } else if (e.getValue().isNull() && !NULLABLE.contains(key)) {
                out.add(key + " must not be empty");
            }
        }
    }

    static String toYaml(PipelineConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets a dotted key (which must exist) to a Java value or to YAML text. */
    static void set(ObjectNode tree, String key, Object value) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                throw new ConfigException(unknownKey(key, node), List.of());
            }
            node = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (!node.has(leaf)) {
            throw new ConfigException(unknownKey(key, node), List.of());
        }
        JsonNode v;
        if (value instanceof String s && !node.get(leaf).isTextual()) {
            try {
                v = MAPPER.readTree(s); // "3", "true", "[0.5]": YAML text for a non-text setting
            } catch (JsonProcessingException e) {
                throw new ConfigException(key + ": cannot read '" + s + "'", List.of());
            }
        } else {
            v = MAPPER.valueToTree(value);
        }
        node.set(leaf, v);
    }

    private static String unknownKey(String key, ObjectNode at) {
        List<String> known = new ArrayList<>();
        at.fieldNames().forEachRemaining(known::add);
        return "unknown setting '" + key + "'; known here: " + known;
    }

    private static void merge(
            ObjectNode into, ObjectNode from, String prefix, List<String> unknown) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode current = into.get(e.getKey());
            if (current == null) {
                List<String> known = new ArrayList<>();
                into.fieldNames().forEachRemaining(known::add);
                unknown.add("unknown setting '" + key + "'; known: " + known);
            } else if (current.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) current, (ObjectNode) e.getValue(), key + ".", unknown);
            } else if (current.isObject() && !e.getValue().isNull()) {
                unknown.add(key + " is a block of settings, not a value");
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static ObjectMapper mapper() {
        ObjectMapper m =
                new ObjectMapper(
                        new YAMLFactory()
                                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        SimpleModule module = new SimpleModule("sfa-config");
        module.addSerializer(
                Duration.class,
                new ToStringSerializer<>(Duration.class, ConfigMapper::formatDuration));
        module.addSerializer(
                Instant.class, new ToStringSerializer<>(Instant.class, Instant::toString));
        module.addSerializer(
                Enum.class, new ToStringSerializer<>(Enum.class, ConfigMapper::enumName));
        SimpleDeserializersWithEnums deserializers = new SimpleDeserializersWithEnums();
        deserializers.addDeserializer(
                Duration.class,
                new TextDeserializer<>(
                        "a duration such as 200 ms, 10 s or 10 min", ConfigMapper::parseDuration));
        deserializers.addDeserializer(
                Instant.class,
                new TextDeserializer<>(
                        "an ISO-8601 instant such as 2026-01-01T00:00:00Z", Instant::parse));
        module.setDeserializers(deserializers);
        m.registerModule(module);
        return m;
    }

    static String enumName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String formatDuration(Duration d) {
        return TimeUtils.formatWithHighestUnit(d);
    }

    static Duration parseDuration(String s) {
        return TimeUtils.parseDuration(s);
    }

    /** Writes a value as one string. */
    private static final class ToStringSerializer<T> extends StdSerializer<T> {
        private final java.util.function.Function<T, String> format;

        @SuppressWarnings({"unchecked", "rawtypes"})
        ToStringSerializer(Class<?> type, java.util.function.Function<? super T, String> format) {
            super((Class) type);
            this.format = (java.util.function.Function<T, String>) format;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeString(format.apply(value));
        }
    }

    /** Reads a value from one string, with a message that says what was expected. */
    private static final class TextDeserializer<T> extends JsonDeserializer<T> {
        private final String expected;
        private final java.util.function.Function<String, T> parse;

        TextDeserializer(String expected, java.util.function.Function<String, T> parse) {
            this.expected = expected;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                throw JsonMappingException.from(
                        p, "expected " + expected + ", got " + p.currentToken());
            }
            try {
                return parse.apply(text.trim());
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw JsonMappingException.from(p, "expected " + expected + ", got '" + text + "'");
            }
        }
    }

    /**
     * Enums by their lower-case, hyphenated names (or the constant's own name), with the choices in
     * errors.
     */
    private static final class SimpleDeserializersWithEnums
            extends com.fasterxml.jackson.databind.module.SimpleDeserializers {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public JsonDeserializer<?> findEnumDeserializer(
                Class<?> type, DeserializationConfig config, BeanDescription beanDesc)
                throws JsonMappingException {
            Class<? extends Enum> enumType = (Class<? extends Enum>) type;
            return new JsonDeserializer<Enum<?>>() {
                @Override
                public Enum<?> deserialize(JsonParser p, DeserializationContext ctx)
                        throws IOException {
                    String text = p.getValueAsString();
                    Enum<?>[] values = enumType.getEnumConstants();
                    if (text != null) {
                        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
                        for (Enum<?> v : values) {
                            if (enumName(v).equals(t)) {
                                return v;
                            }
                        }
                    }
                    throw JsonMappingException.from(
                            p,
                            "expected one of "
                                    + Arrays.stream(values).map(ConfigMapper::enumName).toList()
                                    + ", got '"
                                    + text
                                    + "'");
                }
            };
        }
    }
}
