package io.sfastream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The network shape SFA needs: a shared backbone that ends in a feature vector, and two linear
 * heads on it — the standard classifier and the auxiliary balanced classifier (ABC, trained with
 * Balanced Softmax). One forward pass returns {@code NDList(features, logits, balancedLogits)}, so
 * the embedder gets everything from one pass and the trainer back-propagates both heads into the
 * shared backbone.
 */
public final class SfaNet extends AbstractBlock {
    /** Output positions in the NDList a forward pass returns. */
    public static final int FEATURES = 0;

    public static final int LOGITS = 1;
    public static final int BALANCED_LOGITS = 2;

    private static final byte VERSION = 1;

    private final Block backbone;
    private final Block head;
    private final Block balancedHead;
    private final int numClasses;
    private volatile boolean backboneFrozen;

    public SfaNet(Block backbone, int numClasses) {
        super(VERSION);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.backbone = addChildBlock("backbone", backbone);
        this.head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        this.balancedHead =
                addChildBlock("balancedHead", Linear.builder().setUnits(numClasses).build());
    }

    public int numClasses() {
        return numClasses;
    }

    public Block backbone() {
        return backbone;
    }

    /**
     * Freezes (or unfreezes) the backbone: its parameters stop requiring gradients, so a {@code
     * Trainer} updates only the heads, and the backbone always runs in eval mode (BatchNorm uses
     * and keeps its running statistics), its features detached from the graph. For a pretrained
     * encoder used as a fixed feature extractor.
     */
    public void freezeBackbone(boolean frozen) {
        backbone.freezeParameters(frozen);
        backboneFrozen = frozen;
    }

    public boolean isBackboneFrozen() {
        return backboneFrozen;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        boolean frozen = backboneFrozen;
        NDArray features =
                backbone.forward(ps, inputs, training && !frozen, params).singletonOrThrow();
        if (frozen) {
            features = features.stopGradient();
        }
        NDList f = new NDList(features);
        NDArray logits = head.forward(ps, f, training, params).singletonOrThrow();
        NDArray balanced = balancedHead.forward(ps, f, training, params).singletonOrThrow();
        return new NDList(features, logits, balanced);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape features = backbone.getOutputShapes(inputShapes)[0];
        Shape logits = new Shape(features.get(0), numClasses);
        return new Shape[] {features, logits, logits};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] featureShape = backbone.getOutputShapes(inputShapes);
        head.initialize(manager, dataType, featureShape);
        balancedHead.initialize(manager, dataType, featureShape);
    }
}
