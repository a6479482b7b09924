package io.sfastream.train;

import io.sfastream.nn.Embeddings;
import io.sfastream.nn.FeatureExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference as the reference tests ({@code test()} in {@code Train_cifar.py}): the plain sum of the
 * raw logits of both heads of every network, {@code z1(net1) + z2(net1) + z1(net2) + z2(net2)} (two
 * terms with one network), then argmax. The ABC head is used without its log prior, as Balanced
 * Softmax prescribes at test time.
 */
public final class Ensemble {
    private Ensemble() {}

    /** Per image, the sum over networks of standard plus balanced logits. */
    public static float[][] logits(List<Embeddings> perNetwork) {
        if (perNetwork.isEmpty()) {
            throw new IllegalArgumentException("no network outputs");
        }
        int n = perNetwork.get(0).size();
        int classes = n == 0 ? 0 : perNetwork.get(0).logits()[0].length;
        float[][] sum = new float[n][classes];
        for (Embeddings e : perNetwork) {
            if (e.size() != n) {
                throw new IllegalArgumentException(
                        "networks saw different batches: " + e.size() + " vs " + n);
            }
            for (int i = 0; i < n; i++) {
                float[] z1 = e.logits()[i];
                float[] z2 = e.balancedLogits()[i];
                for (int k = 0; k < classes; k++) {
                    sum[i][k] += z1[k] + z2[k];
                }
            }
        }
        return sum;
    }

    /** Argmax of {@link #logits} (the first maximum on ties, as {@code torch.max}). */
    public static int[] predict(List<Embeddings> perNetwork) {
        float[][] z = logits(perNetwork);
        int[] out = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            int best = 0;
            for (int k = 1; k < z[i].length; k++) {
                if (z[i][k] > z[i][best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Top-1 accuracy of the ensemble of {@code networks} (eval mode, test transform) on labelled
     * images.
     */
    public static double accuracy(
            List<FeatureExtractor> networks, List<byte[]> images, int[] labels) {
        if (images.size() != labels.length || images.isEmpty()) {
            throw new IllegalArgumentException("need one label per image and at least one image");
        }
        int[] predicted = predict(networks, images);
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / images.size();
    }

    /** The ensemble's class per image (eval mode, test transform), in batches. */
    public static int[] predict(List<FeatureExtractor> networks, List<byte[]> images) {
        int batch = networks.stream().mapToInt(FeatureExtractor::maxBatch).min().orElseThrow();
        int[] out = new int[images.size()];
        for (int from = 0; from < images.size(); from += batch) {
            List<byte[]> chunk = images.subList(from, Math.min(images.size(), from + batch));
            List<Embeddings> outputs = new ArrayList<>(networks.size());
            for (FeatureExtractor fx : networks) {
                outputs.add(fx.embed(chunk));
            }
            int[] predicted = predict(outputs);
            System.arraycopy(predicted, 0, out, from, predicted.length);
        }
        return out;
    }
}
