#!/usr/bin/env python3
"""Writes the GaussianMixture1D fixtures: inputs and what scikit-learn fits on them.

Produced with Debian bookworm's python3-sklearn 1.2.1, python3-numpy 1.24.2, python3-scipy 1.10.1
(OpenBLAS 0.3.21). Regenerate from the repository root with

    apt-get install -y python3-sklearn
    OMP_NUM_THREADS=1 /usr/bin/python3 model-trainer/src/test/resources/gmm/make_fixtures.py

OMP_NUM_THREADS=1 pins the order in which sklearn's Lloyd step adds up per-thread partial centre
sums (with more threads the last bits of a centre can differ from run to run); the Java port adds
in the single-thread order. Every fit mirrors SFA's get_gmm_prob: GaussianMixture(n_components=2,
random_state=0) with all other defaults, unless a case sets other options. For each case the
fixture records the k-means labels that initialise EM, so a failing test can tell a k-means
divergence from an EM one.
"""
import json
import os
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

OUT = os.path.dirname(os.path.abspath(__file__))


def reference_min_max(v):
    """get_gmm_prob's normalisation (float64 here): subtract the min, divide by the max if nonzero."""
    v = np.asarray(v, dtype=np.float64).copy()
    v -= np.min(v)
    if np.max(v) != 0:
        v /= np.max(v)
    return v


def fit_case(name, x, description, components=2, tol=1e-3, reg_covar=1e-6, max_iter=100,
             random_state=0, dtype=np.float64):
    """dtype=float32 reproduces SFA's reference, which hands sklearn a float32 array."""
    x = np.asarray(x, dtype=dtype)
    X = x.reshape(-1, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # the same KMeans call (and fresh RandomState) GaussianMixture._initialize_parameters makes
        km_labels = KMeans(n_clusters=components, n_init=1,
                           random_state=np.random.RandomState(random_state)).fit(X).labels_
        gmm = GaussianMixture(n_components=components, tol=tol, reg_covar=reg_covar,
                              max_iter=max_iter, random_state=random_state).fit(X)
        proba = gmm.predict_proba(X)
    return {
        "name": name,
        "description": description,
        "dtype": np.dtype(dtype).name,
        "options": {"components": components, "tol": tol, "reg_covar": reg_covar,
                    "max_iter": max_iter, "random_state": random_state},
        "x": x.tolist(),  # float32 values are exact as JSON doubles
        "kmeans_labels": [int(v) for v in km_labels],
        "means": gmm.means_.ravel().tolist(),
        "variances": gmm.covariances_.ravel().tolist(),
        "weights": gmm.weights_.tolist(),
        "converged": bool(gmm.converged_),
        "n_iter": int(gmm.n_iter_),
        "lower_bound": float(gmm.lower_bound_),
        "higher_mean_component": int(gmm.means_.argmax()),
        "posteriors": proba.tolist(),
        "warnings": sorted({type(w.message).__name__ + ": " + str(w.message) for w in caught}),
    }


def float32_reference_min_max(v):
    """get_gmm_prob's normalisation on the float32 array torch hands it."""
    v = np.asarray(v, dtype=np.float32).copy()
    v -= np.min(v)
    if np.max(v) != 0:
        v /= np.max(v)
    return v


def bimodal(rs, n, clean_frac=0.8):
    """Raw SFA-like scores (negative squared distances), then the reference min-max."""
    n_clean = int(round(n * clean_frac))
    clean = rs.normal(-0.2, 0.1, n_clean)      # near the centroid
    noisy = rs.normal(-1.6, 0.3, n - n_clean)  # far from it
    raw = np.concatenate([clean, noisy])
    rs.shuffle(raw)
    return reference_min_max(raw)


def slowest_exponential_power():
    """Default options rarely need many EM iterations (tol 1e-3 on the mean log-likelihood); heavy
    right tails are the slowest found. Picks, deterministically, the slowest of 300 candidates."""
    rs = np.random.RandomState(2)
    best_iter, best = -1, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(300):
            n = int(rs.choice([100, 200, 400]))
            x = rs.exponential(1, n) ** rs.uniform(1, 6)
            it = GaussianMixture(2, random_state=0).fit(x.reshape(-1, 1)).n_iter_
            if it > best_iter:
                best_iter, best = it, x
    return best


def main():
    rs = np.random.RandomState(20230434)
    cases = []
    for n in (5000, 500, 50, 20):
        cases.append(fit_case(f"bimodal_{n}", bimodal(rs, n),
                              f"{n} min-max normalised scores, 80% clean near 1, 20% noisy near 0.2"))
    cases.append(fit_case("imbalance_95_5", bimodal(rs, 1000, 0.95),
                          "1000 scores, 95% clean / 5% noisy"))
    cases.append(fit_case("ties_rounded", reference_min_max(np.round(bimodal(rs, 300), 1)),
                          "300 scores rounded to one decimal: 11 distinct values, many duplicates"))
    cases.append(fit_case("ties_midpoint", [0.0] * 4 + [0.5] * 3 + [1.0] * 5,
                          "three values with exact midpoint ties between the k-means centres"))
    cases.append(fit_case("ties_two_values", [0.0] * 7 + [1.0] * 3, "only two distinct values"))
    cases.append(fit_case("constant_zero", [0.0] * 10,
                          "all scores equal after min-max (the reference leaves zeros)"))
    cases.append(fit_case("constant_half", [0.5] * 6, "a constant nonzero array"))
    cases.append(fit_case("constant_negative", [-0.25] * 5,
                          "a constant negative array: the higher-mean component is the empty one"))
    cases.append(fit_case("two_points", [0.2, 0.9], "exactly two samples"))
    cases.append(fit_case("two_points_equal", [0.3, 0.3], "two identical samples"))
    cases.append(fit_case("three_points", [0.0, 0.35, 1.0], "three samples"))
    cases.append(fit_case("already_normalised", np.clip(rs.beta(5, 1.5, 400), 0, 1),
                          "400 values in [0, 1] without min-max (Beta(5, 1.5))"))
    cases.append(fit_case("raw_negative_logits", -np.abs(rs.normal(0.8, 0.5, 300)) - 0.1,
                          "raw negative SFA logits, not normalised"))
    cases.append(fit_case("well_separated", np.concatenate([rs.normal(0.1, 0.01, 100),
                                                            rs.normal(0.9, 0.01, 100)]),
                          "two tight, far apart clusters: EM converges in a couple of iterations"))
    slow = slowest_exponential_power()
    cases.append(fit_case("slow_convergence", slow,
                          "exponential draws raised to a power: the slowest of 300 candidates"))
    cases.append(fit_case("max_iter_hit", slow, "the slow case with max_iter=20: not converged",
                          max_iter=20))
    cases.append(fit_case("max_iter_5", bimodal(rs, 500), "max_iter=5 stops early", max_iter=5))
    cases.append(fit_case("dividemix_options", bimodal(rs, 500),
                          "DivideMix's GMM options: max_iter=10, tol=1e-2, reg_covar=5e-4",
                          tol=1e-2, reg_covar=5e-4, max_iter=10))
    cases.append(fit_case("three_components", np.concatenate([rs.normal(0.1, 0.05, 60),
                                                              rs.normal(0.5, 0.05, 30),
                                                              rs.normal(0.9, 0.05, 90)]),
                          "n_components=3 (3 local k-means++ trials)", components=3))
    cases.append(fit_case("seed_42", bimodal(rs, 300), "random_state=42", random_state=42))
    # float32, as the reference runs: the same inputs rounded to float32
    f32 = []
    for c in cases:
        if c["name"] in ("bimodal_5000", "bimodal_500", "bimodal_50", "bimodal_20", "ties_rounded",
                         "ties_midpoint", "constant_zero", "two_points", "three_points",
                         "slow_convergence", "three_components", "imbalance_95_5"):
            o = c["options"]
            f32.append(fit_case("f32_" + c["name"], c["x"], c["description"] + " (float32)",
                                components=o["components"], dtype=np.float32))
    raw = (-np.abs(rs.normal(0.9, 0.4, 600)) - 0.05).astype(np.float32)
    ref = fit_case("f32_reference_minmax", float32_reference_min_max(raw),
                   "600 raw float32 logits min-max normalised in float32, as get_gmm_prob does",
                   dtype=np.float32)
    ref["raw"] = raw.tolist()
    f32.append(ref)
    cases.extend(f32)
    for c in cases:
        with open(os.path.join(OUT, c["name"] + ".json"), "w") as f:
            json.dump(c, f)

    # Fuzz: many small arrays with duplicates, to pin k-means++ / Lloyd label choices.
    fuzz = []
    fuzz32 = []
    frs = np.random.RandomState(7)
    for i in range(300):
        n = int(frs.randint(2, 80))
        kind = i % 5
        if kind == 0:
            x = frs.uniform(0, 1, n)
        elif kind == 1:
            x = np.round(frs.uniform(0, 1, n), 1)
        elif kind == 2:
            x = bimodal(frs, n, frs.uniform(0.5, 0.97))
        elif kind == 3:
            x = frs.choice([0.0, 0.25, 0.5, 0.75, 1.0], n)
        else:
            x = frs.standard_normal(n) * 10 ** frs.uniform(-3, 3) + frs.uniform(-5, 5)
        comps = 3 if (i % 7 == 3 and n >= 3) else 2
        fuzz.append(fit_case(f"fuzz_{i}", x, f"fuzz kind {kind}", components=comps))
        fuzz32.append(fit_case(f"fuzz_f32_{i}", x, f"fuzz kind {kind} (float32)",
                               components=comps, dtype=np.float32))
    with open(os.path.join(OUT, "fuzz.json"), "w") as f:
        json.dump({"cases": fuzz}, f)
    with open(os.path.join(OUT, "fuzz_f32.json"), "w") as f:
        json.dump({"cases": fuzz32}, f)

    # np.sum on arrays Java can rebuild exactly (a[i] = ((i * 7919) % 1000 - 500) / 7 + i / 1024),
    # to pin numpy's pairwise summation and its 8192-element blocks.
    sums = []
    for n in (1, 7, 8, 9, 127, 128, 129, 1000, 5000, 8192, 8193, 20000):
        i = np.arange(n, dtype=np.float64)
        a = ((np.arange(n) * 7919) % 1000 - 500) / 7.0 + i / 1024.0
        sums.append({"n": n, "sum": float(np.sum(a)), "sum_col": float(a.reshape(-1, 1).sum(axis=0)[0])})
    with open(os.path.join(OUT, "numpy_sums.json"), "w") as f:
        json.dump({"sums": sums}, f)

    with open(os.path.join(OUT, "VERSIONS.txt"), "w") as f:
        f.write(f"python {sys.version.split()[0]}\nscikit-learn {sklearn.__version__}\n"
                f"numpy {np.__version__}\nscipy {scipy.__version__}\n"
                f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}\n")


if __name__ == "__main__":
    main()
