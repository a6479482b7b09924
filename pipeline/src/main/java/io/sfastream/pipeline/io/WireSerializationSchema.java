package io.sfastream.pipeline.kafka;

import io.sfastream.schemas.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Writes Avro records in sfa-stream's wire format (single-object encoding, see {@link WireCodec}).
 */
public final class WireSerializationSchema<T extends SpecificRecord>
        implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient WireCodec<T> codec;

    public WireSerializationSchema(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        codec = WireCodec.of(type);
    }

    @Override
    public byte[] serialize(T element) {
        if (codec == null) {
            codec = WireCodec.of(type);
        }
        return codec.encode(element);
    }
}
