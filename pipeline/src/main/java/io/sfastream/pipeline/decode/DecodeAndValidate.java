package io.sfastream.pipeline.decode;

import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.deadletter.DeadLetters;
import io.sfastream.pipeline.io.RawKafkaRecord;
import io.sfastream.time.EpochClock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and validates each raw record of the input topic (images or features, {@code job.input});
 * rejects go to {@link DeadLetters#TAG} with the reason.
 */
public final class DecodeAndValidate extends ProcessFunction<RawKafkaRecord, DecodedSample> {
    private static final long serialVersionUID = 1L;

    private final PipelineConfig.Input input;
    private final PipelineConfig.Model model;
    private final int maxRecordBytes;
    private final int deadLetterValueCap;
    private final EpochClock clock;
    private transient java.util.function.Function<byte[], SampleValidator.Result> validator;
    private transient DeadLetters deadLetters;
    private transient Counter decoded;

    public DecodeAndValidate(PipelineConfig config) {
        this.input = config.job().input();
        this.model = config.model();
        this.maxRecordBytes = config.kafka().maxRecordBytes();
        this.deadLetterValueCap = config.kafka().deadLetterValueCapBytes();
        this.clock = config.epochClock();
    }

    @Override
    public void open(OpenContext context) {
        if (input == PipelineConfig.Input.FEATURES) {
            validator =
                    new EmbeddingValidator(
                                    model.featureDim(), model.numClasses(), maxRecordBytes, clock)
                            ::validate;
        } else {
            validator = new SampleValidator(model.toSpec(0), maxRecordBytes, clock)::validate;
        }
        deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
        decoded = getRuntimeContext().getMetricGroup().counter("decoded");
    }

    @Override
    public void processElement(RawKafkaRecord raw, Context ctx, Collector<DecodedSample> out) {
        SampleValidator.Result r = validator.apply(raw.value);
        if (r.ok()) {
            DecodedSample d = r.sample();
            d.topic = raw.topic;
            d.partition = raw.partition;
            d.offset = raw.offset;
            decoded.inc();
            out.collect(d);
        } else {
            ctx.output(
                    DeadLetters.TAG,
                    deadLetters.count(
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
