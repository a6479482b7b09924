package io.sfastream.schemas;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Kafka wire format of every sfa-stream topic: Avro single-object encoding (marker {@code C3
 * 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary
 * body).
 *
 * <p>The fingerprint lets a reader resolve data written with an older (or newer) version of a
 * schema, provided that version was registered with {@link #withWriterSchemas}. Failures surface as
 * {@link WireFormatException} with a {@link WireFormatException.Kind} and a message fit for a
 * dead-letter record.
 *
 * <p>Instances are thread-safe (Avro's message codecs are) and cheap to share; they are not
 * serializable, so Flink functions create them in {@code open()}.
 */
public final class WireCodec<T extends SpecificRecord> {
    /** Marker (2 bytes) + fingerprint (8 bytes). */
    public static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<Long, Schema> knownWriters;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final long readerFingerprint;
    private final org.apache.avro.specific.SpecificDatumReader<T> currentReader;

    private WireCodec(Class<T> type, Collection<Schema> olderWriterSchemas) {
        this.type = Objects.requireNonNull(type, "type");
        SpecificData model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        if (readerSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(type.getName() + " is not an Avro record class");
        }
        this.knownWriters = new LinkedHashMap<>();
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
        this.decoder = new BinaryMessageDecoder<>(model, readerSchema);
        this.readerFingerprint = fingerprint(readerSchema);
        this.currentReader =
                new org.apache.avro.specific.SpecificDatumReader<>(
                        readerSchema, readerSchema, model);
        knownWriters.put(fingerprint(readerSchema), readerSchema);
        for (Schema writer : olderWriterSchemas) {
            decoder.addSchema(writer);
            knownWriters.put(fingerprint(writer), writer);
        }
    }

    /** A codec for one generated record class, knowing only that class's current schema. */
    public static <T extends SpecificRecord> WireCodec<T> of(Class<T> type) {
        return new WireCodec<>(type, List.of());
    }

    /**
     * A copy that also reads data written with the given (older or newer) versions of the schema.
     */
    public WireCodec<T> withWriterSchemas(Collection<Schema> writerSchemas) {
        List<Schema> all = new ArrayList<>(knownWriters.values());
        all.remove(readerSchema);
        all.addAll(writerSchemas);
        return new WireCodec<>(type, all);
    }

    public Schema readerSchema() {
        return readerSchema;
    }

    public Class<T> type() {
        return type;
    }

    /**
     * CRC-64-AVRO fingerprint of the parsing canonical form, as carried in the single-object
     * header.
     */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Avro reports a null in a non-null field as NullPointerException; say which record.
            throw new IllegalArgumentException(
                    "cannot encode "
                            + type.getSimpleName()
                            + " (a required field is missing or of the wrong type): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * A reader of only some fields of this type's messages (an Avro projection: the writer's other
     * fields are skipped, never materialised), for hot paths that need one field of a big record,
     * such as the event time of a sample before it is decoded. Knows the same writer schemas as
     * this codec. Thread-safe.
     *
     * @throws IllegalArgumentException when a field is not in the reader schema
     */
    public Projection projection(String... fields) {
        List<Schema.Field> kept = new ArrayList<>();
        for (String name : fields) {
            Schema.Field f = readerSchema.getField(name);
            if (f == null) {
                throw new IllegalArgumentException(
                        type.getSimpleName() + " has no field '" + name + "'");
            }
            kept.add(new Schema.Field(f, f.schema()));
        }
        Schema projected =
                Schema.createRecord(
                        readerSchema.getName(),
                        readerSchema.getDoc(),
                        readerSchema.getNamespace(),
                        false,
                        kept);
        BinaryMessageDecoder<org.apache.avro.generic.GenericRecord> d =
                new BinaryMessageDecoder<>(org.apache.avro.generic.GenericData.get(), projected);
        for (Schema writer : knownWriters.values()) {
            d.addSchema(writer);
        }
        return new Projection(d);
    }

    /** See {@link #projection(String...)}. */
    public static final class Projection {
        private final BinaryMessageDecoder<org.apache.avro.generic.GenericRecord> decoder;

        private Projection(BinaryMessageDecoder<org.apache.avro.generic.GenericRecord> decoder) {
            this.decoder = decoder;
        }

        /** The projected fields of one message, or empty when the bytes are not a readable one. */
        public java.util.Optional<org.apache.avro.generic.GenericRecord> read(byte[] bytes) {
            if (bytes == null
                    || bytes.length < HEADER_BYTES
                    || bytes[0] != (byte) 0xC3
                    || bytes[1] != (byte) 0x01) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(decoder.decode(bytes));
            } catch (IOException | RuntimeException e) {
                return java.util.Optional.empty();
            }
        }
    }

    public T decode(byte[] bytes) throws WireFormatException {
        String what = type.getSimpleName();
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException(
                    WireFormatException.Kind.EMPTY,
                    "empty record where a " + what + " was expected",
                    null);
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new WireFormatException(
                    WireFormatException.Kind.NOT_SINGLE_OBJECT,
                    "not an Avro single-object message ("
                            + bytes.length
                            + " bytes, starts with "
                            + hexPrefix(bytes)
                            + "; expected c301 + 8-byte schema fingerprint) where a "
                            + what
                            + " was expected",
                    null);
        }
        long fp = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        try {
            if (fp == readerFingerprint) {
                // the common case, written with this very schema: a buffered decoder over the array
                // (Avro's message decoder reads through an unbuffered stream, byte by byte)
                return currentReader.read(
                        null,
                        org.apache.avro.io.DecoderFactory.get()
                                .binaryDecoder(
                                        bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null));
            }
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new WireFormatException(
                    WireFormatException.Kind.UNKNOWN_SCHEMA,
                    "unknown writer schema fingerprint "
                            + hex(fp)
                            + " for "
                            + what
                            + "; this reader knows "
                            + knownWriters.keySet().stream().map(WireCodec::hex).toList(),
                    e);
        } catch (BadHeaderException e) {
            throw new WireFormatException(
                    WireFormatException.Kind.NOT_SINGLE_OBJECT,
                    "bad single-object header for " + what + ": " + e.getMessage(),
                    e);
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException e) {
            Throwable root = rootCause(e);
            boolean truncated =
                    root instanceof EOFException || root instanceof IndexOutOfBoundsException;
            String writer =
                    knownWriters.containsKey(fp)
                            ? "writer schema " + hex(fp)
                            : "fingerprint " + hex(fp);
            throw new WireFormatException(
                    truncated
                            ? WireFormatException.Kind.TRUNCATED
                            : WireFormatException.Kind.CORRUPT,
                    (truncated ? "truncated " : "corrupt ")
                            + what
                            + " body ("
                            + (bytes.length - HEADER_BYTES)
                            + " bytes after the header, "
                            + writer
                            + "): "
                            + root.getClass().getSimpleName()
                            + (root.getMessage() == null ? "" : ": " + root.getMessage()),
                    e);
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }

    private static String hexPrefix(byte[] bytes) {
        int n = Math.min(bytes.length, 4);
        byte[] head = new byte[n];
        System.arraycopy(bytes, 0, head, 0, n);
        return "0x" + HexFormat.of().formatHex(head);
    }
}
