package io.sfastream.sfa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.NoiseMode;
import io.sfastream.eval.DetectionMetrics;
import io.sfastream.eval.SelectionReport;
import io.sfastream.eval.ShotGroups;
import org.junit.jupiter.api.Test;

class SmallLossSelectionTest {

    @Test
    void syntheticFeaturesHaveTheRequestedCountsAndNoise() {
        int[] counts = LongTailProfile.exponential(500, 0.1, 10);
        SyntheticFeatures f =
                SyntheticFeatures.generate(counts, 32, 0.5, 3.0, 0.2, NoiseMode.IMB, 1);
        assertThat(f.size()).isEqualTo(LongTailProfile.total(counts));
        assertThat(f.noise().flips()).isEqualTo((int) (0.2 * f.size()));
        assertThat(f.features()[0]).hasSize(32);
    }

    @Test
    void aLinearHeadLearnsCleanClustersAndSmallLossFindsTheFlippedLabels() {
        int[] counts = LongTailProfile.exponential(400, 0.1, 10);
        SyntheticFeatures f =
                SyntheticFeatures.generate(counts, 32, 0.8, 0.0, 0.3, NoiseMode.SYM, 2);
        LinearHead head = LinearHead.train(f.features(), f.givenLabels(), 10, null, 10, 64, 0.5, 3);
        // the head fits the majority (true) label, so flipped samples have large losses
        double[] conf = head.confidence(f.features(), f.trueLabels());
        double mean = java.util.Arrays.stream(conf).average().orElseThrow();
        assertThat(mean).isGreaterThan(0.5);
        double[] p =
                SmallLossSelection.cleanProbability(head.losses(f.features(), f.givenLabels()));
        boolean[] clean = f.trulyClean();
        assertThat(DetectionMetrics.auroc(p, clean)).isGreaterThan(0.9);
        boolean[] selected = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            selected[i] = p[i] > 0.5;
        }
        SelectionReport r =
                SelectionReport.of(p, selected, clean, f.givenLabels(), ShotGroups.cifar10());
        assertThat(r.overall().precision()).isGreaterThan(0.9);
        assertThat(r.byGroup())
                .containsKeys(ShotGroups.Group.MANY, ShotGroups.Group.MEDIUM, ShotGroups.Group.FEW);
    }
}
