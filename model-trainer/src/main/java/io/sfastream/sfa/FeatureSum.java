package io.sfastream.sfa;

/**
 * A partial sum of one virtual epoch's feature vectors f for one network: what each embedder
 * subtask contributes to the centring mean m, and what the owner of m adds up. The reference
 * centres with the exact mean of all training features (§2.2 step 3); a stream centres each epoch
 * with the exact mean of the previous epoch's features (§5.1, "the exact mean of the previous
 * window"), so m is a sum and a count per epoch, in double, merged in any order.
 *
 * <p>Plain data (public fields, no-arg constructor) for Flink's POJO serializer.
 */
public class FeatureSum {
    /** The network the features came from. */
    public int network;

    /** The virtual epoch (1-based) of the features. */
    public int epoch;

    /**
     * Which partial sum this is (the embedder subtask that made it): the owner adds parts in this
     * order, so m is the same bits whatever order the parts arrive in.
     */
    public int part;

    /** How many feature vectors are in {@link #sum}. */
    public long count;

    /** Σ f, per dimension; null while {@link #count} is 0. */
    public double[] sum;

    public FeatureSum() {}

    public FeatureSum(int network, int epoch) {
        this.network = network;
        this.epoch = epoch;
    }

    /** Adds one feature vector. */
    public void add(float[] f) {
        if (sum == null) {
            sum = new double[f.length];
        } else if (sum.length != f.length) {
            throw new IllegalArgumentException(
                    "feature dimension " + f.length + " differs from the sum's " + sum.length);
        }
        for (int j = 0; j < f.length; j++) {
            sum[j] += f[j];
        }
        count++;
    }

    /** Adds another partial sum of the same network and epoch. */
    public void merge(FeatureSum other) {
        if (other.network != network || other.epoch != epoch) {
            throw new IllegalArgumentException(
                    "cannot merge network "
                            + other.network
                            + " epoch "
                            + other.epoch
                            + " into network "
                            + network
                            + " epoch "
                            + epoch);
        }
        if (other.count == 0) {
            return;
        }
        if (sum == null) {
            sum = other.sum.clone();
        } else {
            if (sum.length != other.sum.length) {
                throw new IllegalArgumentException(
                        "feature dimension "
                                + other.sum.length
                                + " differs from the sum's "
                                + sum.length);
            }
            for (int j = 0; j < sum.length; j++) {
                sum[j] += other.sum[j];
            }
        }
        count += other.count;
    }

    /**
     * m = Σ f / n as float32, as {@link Vectors#mean} computes the batch face's mean; null when the
     * sum is empty.
     */
    public float[] mean() {
        if (count == 0) {
            return null;
        }
        float[] m = new float[sum.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = (float) (sum[j] / count);
        }
        return m;
    }

    /** A deep copy. */
    public FeatureSum copy() {
        FeatureSum c = new FeatureSum(network, epoch);
        c.part = part;
        c.count = count;
        c.sum = sum == null ? null : sum.clone();
        return c;
    }

    /** One long for a (network, epoch) pair, ordered by network, then epoch: a map key. */
    public static long key(int network, int epoch) {
        return ((long) network << 32) | (epoch & 0xffffffffL);
    }

    /** The network of a {@link #key}. */
    public static int networkOf(long key) {
        return (int) (key >>> 32);
    }

    /** The epoch of a {@link #key}. */
    public static int epochOf(long key) {
        return (int) key;
    }
}
