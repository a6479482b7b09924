package io.sfastream.pipeline.decode;

import io.sfastream.pipeline.deadletter.Rejection;
import io.sfastream.schemas.LabelledEmbedding;
import io.sfastream.schemas.WireCodec;
import io.sfastream.schemas.WireFormatException;
import io.sfastream.time.EpochClock;
import java.util.List;

/**
 * Turns raw Kafka bytes of the features topic into a {@link DecodedSample} carrying the feature
 * vector, or says exactly why not: the record checks of every input, then the features' dimension
 * and finiteness, the confidence's range and the logits' width. Pure Java; not thread-safe.
 */
public final class EmbeddingValidator {
    private final WireCodec<LabelledEmbedding> codec = WireCodec.of(LabelledEmbedding.class);
    private final int dimension;
    private final int numClasses;
    private final RecordChecks checks;

    public EmbeddingValidator(int dimension, int numClasses, int maxRecordBytes, EpochClock clock) {
        this.dimension = dimension;
        this.numClasses = numClasses;
        this.checks = new RecordChecks(numClasses, maxRecordBytes, clock);
    }

    public SampleValidator.Result validate(byte[] value) {
        Rejection size = checks.size(value);
        if (size != null) {
            return new SampleValidator.Result(null, size);
        }
        LabelledEmbedding e;
        try {
            e = codec.decode(value);
        } catch (WireFormatException x) {
            return new SampleValidator.Result(null, RecordChecks.undecodable(x));
        }
        String id = e.getId();
        Rejection bad =
                checks.labelsAndTime(
                        id,
                        e.getLabel(),
                        e.getTrueLabel(),
                        e.getEventTime() == null ? null : e.getEventTime().toEpochMilli());
        if (bad == null) {
            bad = features(id, e.getFeatures());
        }
        if (bad == null && e.getConfidence() != null) {
            double c = e.getConfidence();
            if (!(c >= 0 && c <= 1)) {
                bad = reject(id, "bad-confidence", "confidence " + c + " is not in [0, 1]");
            }
        }
        float[] logits = null;
        if (bad == null && e.getLogits() != null) {
            if (e.getLogits().size() != numClasses) {
                bad =
                        reject(
                                id,
                                "wrong-dimension",
                                "logits have "
                                        + e.getLogits().size()
                                        + " values, the model has "
                                        + numClasses
                                        + " classes");
            } else {
                logits = floats(e.getLogits());
                int nonFinite = firstNonFinite(logits);
                if (nonFinite >= 0) {
                    bad =
                            reject(
                                    id,
                                    "non-finite",
                                    "logits[" + nonFinite + "] is " + logits[nonFinite]);
                }
            }
        }
        if (bad != null) {
            return new SampleValidator.Result(null, bad);
        }
        DecodedSample d = new DecodedSample();
        d.id = id;
        d.label = e.getLabel();
        d.trueLabel = e.getTrueLabel() == null ? DecodedSample.NO_TRUE_LABEL : e.getTrueLabel();
        d.eventTime = e.getEventTime().toEpochMilli();
        d.epoch = checks.clock().epochOf(d.eventTime);
        d.features = floats(e.getFeatures());
        d.confidence = e.getConfidence() == null ? Double.NaN : e.getConfidence();
        d.logits = logits;
        return new SampleValidator.Result(d, null);
    }

    private Rejection features(String id, List<Float> f) {
        if (f == null || f.size() != dimension) {
            return reject(
                    id,
                    "wrong-dimension",
                    "feature vector has "
                            + (f == null ? 0 : f.size())
                            + " values, the job takes "
                            + dimension
                            + " (model.featureDim)");
        }
        for (int j = 0; j < f.size(); j++) {
            float v = f.get(j);
            if (!Float.isFinite(v)) {
                return reject(id, "non-finite", "features[" + j + "] is " + v);
            }
        }
        return null;
    }

    private static Rejection reject(String id, String code, String reason) {
        return new Rejection(Rejection.VALIDATE, code, reason, id, null);
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}
