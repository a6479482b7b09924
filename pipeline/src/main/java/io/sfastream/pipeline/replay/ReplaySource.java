package io.sfastream.pipeline.replay;

import io.sfastream.pipeline.local.SampleProducer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A dataset after the long-tail and noise protocols, ready to be replayed: {@link #size()} samples
 * in a seeded order per pass, each sent as one record stamped with an event time.
 */
public interface ReplaySource {
    /** Which input topic the records are for. */
    enum Kind {
        /** {@code LabelledSample}s (images) for the samples topic. */
        SAMPLES,
        /** {@code LabelledEmbedding}s (feature vectors) for the features topic. */
        FEATURES
    }

    /** The replay's name: the dataset and the protocol, e.g. {@code cifar10-train-lt0.01-...}. */
    String name();

    Kind kind();

    int size();

    List<String> classNames();

    /** The label each sample is sent with (noisy where flipped), by sample index. */
    int[] givenLabels();

    /** How many given labels differ from the true ones (0 when the truth is unknown). */
    int flips();

    /** Whether records carry {@code trueLabel} (not for web-labelled data such as WebVision). */
    boolean truthKnown();

    /** The order of pass {@code pass} (1-based): a permutation of the sample indices. */
    int[] passOrder(int pass);

    /** Sends sample {@code index} (not a replay position) stamped {@code eventTime}. */
    Future<RecordMetadata> send(SampleProducer producer, int index, Instant eventTime);

    /**
     * Per-class counts of the true labels (the long tail); the given ones when truth is unknown.
     */
    int[] trueCounts();

    /** Per-class counts of the given labels. */
    default int[] givenCounts() {
        int[] counts = new int[classNames().size()];
        for (int y : givenLabels()) {
            counts[y]++;
        }
        return counts;
    }
}
