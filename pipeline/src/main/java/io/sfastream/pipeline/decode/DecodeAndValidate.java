package io.sfastream.pipeline.decode;

import io.sfastream.nn.ModelSpec;
import io.sfastream.pipeline.kafka.RawKafkaRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes and validates each raw record; rejects go to {@link DeadLetters#TAG} with the reason. */
public final class DecodeAndValidate extends ProcessFunction<RawKafkaRecord, DecodedSample> {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final int maxRecordBytes;
    private final int deadLetterValueCap;
    private transient SampleValidator validator;
    private transient Counter rejected;

    public DecodeAndValidate(ModelSpec spec, int maxRecordBytes, int deadLetterValueCap) {
        this.spec = spec;
        this.maxRecordBytes = maxRecordBytes;
        this.deadLetterValueCap = deadLetterValueCap;
    }

    @Override
    public void open(OpenContext context) {
        validator = new SampleValidator(spec, maxRecordBytes);
        rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawKafkaRecord raw, Context ctx, Collector<DecodedSample> out) {
        SampleValidator.Result r = validator.validate(raw.value);
        if (r.ok()) {
            DecodedSample d = r.sample();
            d.topic = raw.topic;
            d.partition = raw.partition;
            d.offset = raw.offset;
            out.collect(d);
        } else {
            rejected.inc();
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(
                            raw.topic,
                            raw.partition,
                            raw.offset,
                            raw.key,
                            raw.value,
                            deadLetterValueCap,
                            r.rejection()));
        }
    }
}
