package io.sfastream.pipeline.embed;

import io.sfastream.sfa.ClassSelectionModel;

/**
 * What one network made of a sample. A Flink POJO.
 *
 * <p>The pooled selection travels with the sample, not beside it: it belongs to the model version
 * the sample was scored with (the owner fits it at the boundary that published the version), so a
 * tiny class is judged by exactly the fit of the previous epoch whatever the arrival order.
 */
public class NetworkView {
    /** x̂ = (f − m)/‖f − m‖, m being the centring mean of {@link #modelVersion}. */
    public float[] features;

    /** The main head's logits; null when no network ran (features input without logits). */
    public float[] logits;

    /** The auxiliary (balanced) head's logits; null when no network ran. */
    public float[] balancedLogits;

    /**
     * The auxiliary head's softmax probability of the given label (the reference's ABC confidence);
     * the record's own confidence for features input; +∞ when there is none (every sample counts as
     * confident).
     */
    public double confidence;

    /**
     * Whether {@link #features} were centred: false before the first version with a centring mean
     * (the first epoch), whose features the scorer then keeps out of the centroids.
     */
    public boolean centred;

    public long modelVersion;

    /** The last virtual epoch whose boundary {@link #modelVersion} includes (0 = initial model). */
    public int versionEpoch;

    /** The pooled selection of the previous epoch, for tiny classes; null when there is none. */
    public ClassSelectionModel pooled;

    public NetworkView() {}
}
