package io.sfastream.pipeline.embed;

import io.sfastream.nn.SfaModel;
import io.sfastream.sfa.ClassSelectionModel;

/**
 * One network's model as an embedder uses it: the weights (null for features input), the centring
 * mean m (null before the first published version: features are then only L2-normalised), the
 * pooled fallback selection, and the version and epoch that name them. Owns native memory when it
 * holds a model: close it when it is replaced.
 */
public record ModelVersion(
        int network,
        long version,
        int epoch,
        SfaModel model,
        float[] centringMean,
        ClassSelectionModel pooled)
        implements AutoCloseable {

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
