package io.sfastream.sfa.bench;

import io.sfastream.sfa.GaussianMixture1D;

/**
 * DivideMix's selection, the baseline SFA is compared with: one 2-component GMM over every sample's
 * cross-entropy loss (min–max normalised over the whole set), fitted with DivideMix's settings
 * (max_iter 10, tol 1e-2, reg_covar 5e-4); the clean probability is the posterior of the
 * smaller-mean (small-loss) component. DivideMix leaves the GMM unseeded; here k-means uses seed 0.
 */
public final class SmallLossSelection {
    private SmallLossSelection() {}

    public static final GaussianMixture1D.Options DIVIDEMIX =
            new GaussianMixture1D.Options(2, 1e-2, 5e-4, 10, 0);

    public static double[] cleanProbability(double[] losses) {
        double[] x = GaussianMixture1D.minMaxNormalize(losses);
        GaussianMixture1D.Fit fit = GaussianMixture1D.fit(x, DIVIDEMIX);
        double[][] post = fit.posteriors(x);
        int small = fit.means()[0] <= fit.means()[1] ? 0 : 1;
        double[] p = new double[x.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = post[i][small];
        }
        return p;
    }
}
