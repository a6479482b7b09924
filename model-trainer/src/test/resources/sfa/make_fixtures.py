#!/usr/bin/env python3
"""Writes the fixtures of the SFA selection tests (io.sfastream.sfa.*Test): what the reference's selection
computes on small hand-made inputs, and numpy's legacy normal draws.

The selection cases mirror, operation for operation and dtype for dtype, what HotanLee/SFA's Train_cifar.py
does in eval_train (confidence mask, 300-count rule, moment update as the code runs it, one draw of eps,
centroid per class), get_knncentroids (global mean, centred L2-normalised features, masked class means),
KNNClassifier's cl2n/l2 logits and get_gmm_prob (per-class min-max of the own-class logit in float32 and
sklearn's GaussianMixture(n_components=2, random_state=0)). It is written from the spec
(shared/notes/sfa-algorithm.md section 2.2), not copied.

Produced with Debian bookworm's python3-numpy 1.24.2, python3-sklearn 1.2.1, python3-torch 1.13 (CPU).
Regenerate from the repository root with

    apt-get install -y python3-sklearn python3-torch
    OMP_NUM_THREADS=1 /usr/bin/python3 model-trainer/src/test/resources/sfa/make_fixtures.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
import torch
from sklearn.mixture import GaussianMixture

OUT = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def f64list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def reference_selection(feats32, labels, confs, epoch, num_class, warm_up=30, beta=0.99, phi=1.005,
                        sample_rate=1, numpy_seed=None, min_sampled=300):
    """eval_train after the feature pass, as the code runs it (moments are zero on entry)."""
    n, d = feats32.shape
    if numpy_seed is not None:
        np.random.seed(numpy_seed)
    feats_t = torch.from_numpy(feats32)
    confs_t = torch.from_numpy(confs.astype(np.float32))
    labels_t = torch.from_numpy(labels.astype(np.int64))
    threshold = (1 / num_class) * phi ** epoch
    mask = torch.zeros(n).bool()
    sampled = []
    for k in range(num_class):
        members = (labels_t == k).nonzero(as_tuple=True)[0]
        chosen = members[(confs_t[members] > threshold).nonzero(as_tuple=True)[0]]
        mask[chosen] = True
        if chosen.size(0) > min_sampled:
            sampled.append(k)
    remained = sorted(set(range(num_class)) - set(sampled))

    # global mean (numpy float32), centred and L2-normalised features (torch float32), masked class means
    featmean = feats32.mean(axis=0)
    x = torch.Tensor(feats32.copy()) - torch.Tensor(featmean)
    x = x / torch.norm(x, 2, 1, keepdim=True)
    xn = x.numpy()
    m = mask.numpy()
    cents = np.stack([np.mean(xn[(labels == k) & m], axis=0) for k in range(num_class)])  # float32

    zeros = np.zeros((num_class, d))
    if epoch == warm_up + 1:
        mu = cents
        sq = cents ** 2
    else:
        mu = beta * zeros + (1 - beta) * cents
        sq = beta * zeros + (1 - beta) * cents ** 2

    logits = torch.zeros((n, num_class))
    used = cents.copy()
    for _ in range(sample_rate):
        std = np.sqrt(np.clip(sq - mu ** 2, 1e-30, 1e30))
        eps = np.random.normal(size=mu.shape)
        drawn = mu + std * eps
        used[sampled] = drawn[sampled]
        used[remained] = mu[remained]
        c = torch.from_numpy(used.copy())
        inp = feats_t - torch.from_numpy(featmean)
        inp = inp / torch.norm(inp, 2, 1, keepdim=True)
        ab = torch.mm(inp, c.t())
        aa = (inp ** 2).sum(dim=1, keepdim=True)
        bb = (c ** 2).sum(dim=1, keepdim=True)
        logits += -(aa + bb.t() - 2 * ab)

    prob = np.zeros(n)
    classes = []
    for k in range(num_class):
        idx = labels == k
        v = logits[torch.from_numpy(idx), k].view(-1, 1).numpy().copy()
        v -= np.min(v)
        if np.max(v) != 0:
            v /= np.max(v)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gmm = GaussianMixture(n_components=2, random_state=0).fit(v)
        p = gmm.predict_proba(v)[:, gmm.means_.argmax()]
        prob[idx] = p
        classes.append({
            "class": k,
            "confident": int(((labels == k) & m).sum()),
            "sampled": k in sampled,
            "instant_centroid": f32list(cents[k]),
            "scoring_centroid": f32list(used[k]),
            "gmm_means": f64list(gmm.means_),
            "gmm_variances": f64list(gmm.covariances_),
            "gmm_weights": f64list(gmm.weights_),
        })
    own = logits[torch.arange(n), torch.from_numpy(labels.astype(np.int64))].numpy()
    normalised = np.zeros(n, dtype=np.float32)
    for k in range(num_class):
        idx = labels == k
        v = own[idx].copy()
        v -= np.min(v)
        if np.max(v) != 0:
            v /= np.max(v)
        normalised[idx] = v
    pred = prob > 0.5
    counts = [int(pred[labels == k].sum()) for k in range(num_class)]
    return {
        "epoch": epoch, "num_class": num_class, "warm_up": warm_up, "beta": beta, "phi": phi,
        "numpy_seed": numpy_seed,
        "features": [f32list(r) for r in feats32], "labels": [int(v) for v in labels],
        "confidences": f64list(confs),
        "featmean": f32list(featmean), "own_logit": f32list(own), "normalised": f32list(normalised),
        "prob": f64list(prob), "pred": [bool(v) for v in pred], "clean_counts": counts, "classes": classes,
    }


def clusters(rng, counts, d, spread, flip_fraction):
    """Unit-norm class directions plus Gaussian spread; a fraction of samples get another class's label."""
    num_class = len(counts)
    dirs = rng.normal(size=(num_class, d))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    feats, labels, true = [], [], []
    for k, c in enumerate(counts):
        for _ in range(c):
            feats.append(dirs[k] * 3.0 + 1.0 + rng.normal(scale=spread, size=d))
            true.append(k)
    true = np.array(true)
    labels = true.copy()
    flip = rng.choice(len(labels), size=int(flip_fraction * len(labels)), replace=False)
    for i in flip:
        labels[i] = (true[i] + 1 + rng.randint(num_class - 1)) % num_class
    return np.asarray(feats, dtype=np.float32), labels, true


def main():
    rng = np.random.RandomState(2023)
    out = {"versions": {"numpy": np.__version__, "sklearn": sklearn.__version__, "torch": torch.__version__}}

    # A: first selection epoch (31), 3 classes, confidences mask some samples, no class sampled
    f, y, t = clusters(rng, [40, 30, 25], 5, 1.0, 0.25)
    conf = np.where(y == t, rng.uniform(0.3, 1.0, len(y)), rng.uniform(0.0, 0.5, len(y)))
    out["first_epoch"] = reference_selection(f, y, conf, 31, 3)

    # B: no confidences (everything confident), 4 classes, 600 samples: what score-features does
    f, y, t = clusters(rng, [300, 150, 100, 50], 8, 1.2, 0.3)
    out["all_confident"] = reference_selection(f, y, np.ones(len(y)), 31, 4)
    out["all_confident"]["true_labels"] = [int(v) for v in t]

    # C: epoch 32 as run (moments zero on entry): class 0 has > 300 confident samples and is sampled with
    # eps = np.random.normal(size=(2, 6)) right after np.random.seed(123); class 1 uses (1 - beta) c
    f, y, t = clusters(rng, [520, 120], 6, 1.0, 0.2)
    conf = np.where(y == t, rng.uniform(0.6, 1.0, len(y)), rng.uniform(0.0, 0.4, len(y)))
    out["faithful_epoch_32"] = reference_selection(f, y, conf, 32, 2, numpy_seed=123)

    # D: one class whose samples are all identical: min-max gives zeros, nothing divides by zero
    f, y, t = clusters(rng, [30, 30], 4, 1.0, 0.0)
    f[y == 1] = f[y == 1][0]
    out["constant_class"] = reference_selection(f, y, np.ones(len(y)), 31, 2)

    with open(os.path.join(OUT, "reference_selection.json"), "w") as fh:
        json.dump(out, fh)

    # numpy legacy normal: np.random.seed(s); np.random.normal(size=...) and randn, cache across calls
    g = {"versions": {"numpy": np.__version__}}
    cases = []
    for seed, shape in [(123, (3, 7)), (0, (2, 5)), (4294967295, (1, 9)), (7, (10, 64))]:
        np.random.seed(seed)
        cases.append({"seed": seed, "shape": list(shape), "values": f64list(np.random.normal(size=shape))})
    g["normal"] = cases
    np.random.seed(5)
    a = np.random.randn(3)
    b = np.random.randn(4)
    g["split_calls"] = {"seed": 5, "first": f64list(a), "second": f64list(b)}
    np.random.seed(11)
    g["long"] = {"seed": 11, "values": f64list(np.random.normal(size=20000))}
    with open(os.path.join(OUT, "numpy_normal.json"), "w") as fh:
        json.dump(g, fh)


if __name__ == "__main__":
    main()
