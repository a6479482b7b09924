package io.sfastream.sfa;

/**
 * SFA's per-sample raw score against its labelled class's centroid c̃: s = 2 x̂·c̃ − ‖c̃‖², where
 * x̂ is the centred, L2-normalised feature. It is the reference's NCM logit −‖x̂ − c̃‖² = −(‖x̂‖² +
 * ‖c̃‖² − 2 x̂·c̃) (KNNClassifier, {@code cl2n}, {@code l2}) plus ‖x̂‖² = 1, so it ranks the same
 * way and gives the same per-class min–max normalised value; larger means closer to the centroid,
 * i.e. cleaner. Computed in double.
 */
public final class CentroidScore {
    private CentroidScore() {}

    /** 2 x̂·c − ‖c‖². */
    public static double of(float[] xhat, double[] centroid) {
        if (xhat.length != centroid.length) {
            throw new IllegalArgumentException(
                    "feature dimension "
                            + xhat.length
                            + " differs from the centroid's "
                            + centroid.length);
        }
        double dot = 0;
        double cc = 0;
        for (int j = 0; j < xhat.length; j++) {
            dot += xhat[j] * centroid[j];
            cc += centroid[j] * centroid[j];
        }
        return 2 * dot - cc;
    }
}
