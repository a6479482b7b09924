package io.sfastream.nn;

/** What one forward pass gives per image: feature vector, main logits, balanced (ABC) logits. */
public record Embeddings(float[][] features, float[][] logits, float[][] balancedLogits) {
    public int size() {
        return features.length;
    }
}
