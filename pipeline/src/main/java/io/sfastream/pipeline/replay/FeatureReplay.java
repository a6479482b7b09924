package io.sfastream.pipeline.replay;

import io.sfastream.data.protocol.NoisyLabels;
import io.sfastream.pipeline.local.SampleProducer;
import io.sfastream.schemas.LabelledEmbedding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Feature vectors replayed as {@link LabelledEmbedding}s for the features topic (the job with
 * {@code job.input: features}): a features CSV ({@code sfa score-features}' format) or synthetic
 * features.
 *
 * @param ids one id per sample
 * @param features one vector per sample
 * @param trueLabels the true labels, or null when unknown
 * @param noise the given labels (flips against {@code trueLabels})
 * @param confidences the confidence of each given label, or null
 */
public record FeatureReplay(
        String name,
        String encoderName,
        List<String> ids,
        float[][] features,
        int[] trueLabels,
        NoisyLabels noise,
        double[] confidences,
        List<String> classNames,
        ReplayProtocol protocol)
        implements ReplaySource {

    @Override
    public Kind kind() {
        return Kind.FEATURES;
    }

    @Override
    public int size() {
        return features.length;
    }

    @Override
    public int[] givenLabels() {
        return noise.labels();
    }

    @Override
    public int[] trueCounts() {
        if (trueLabels == null) {
            return givenCounts();
        }
        int[] counts = new int[classNames.size()];
        for (int y : trueLabels) {
            counts[y]++;
        }
        return counts;
    }

    @Override
    public int flips() {
        return trueLabels == null ? 0 : noise.flips();
    }

    @Override
    public boolean truthKnown() {
        return trueLabels != null;
    }

    @Override
    public int[] passOrder(int pass) {
        return protocol.passOrder(size(), pass);
    }

    /** The record of sample {@code index} as it is sent. */
    public LabelledEmbedding embedding(int index, Instant eventTime) {
        int label = noise.labels()[index];
        List<Float> f = new ArrayList<>(features[index].length);
        for (float v : features[index]) {
            f.add(v);
        }
        return LabelledEmbedding.newBuilder()
                .setId(ids.get(index))
                .setLabel(label)
                .setEventTime(eventTime)
                .setEncoderName(encoderName)
                .setLabelName(classNames.get(label))
                .setTrueLabel(trueLabels == null ? null : trueLabels[index])
                .setConfidence(confidences == null ? null : confidences[index])
                .setSource(name)
                .setAttributes(Map.of())
                .setFeatures(f)
                .build();
    }

    @Override
    public Future<RecordMetadata> send(SampleProducer producer, int index, Instant eventTime) {
        return producer.send(embedding(index, eventTime));
    }
}
