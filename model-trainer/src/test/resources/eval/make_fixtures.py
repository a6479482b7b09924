#!/usr/bin/env python3
"""Writes the detection-metric fixtures: small fixed arrays and what scikit-learn computes on them.

Produced with Debian bookworm's python3-sklearn 1.2.1 and python3-numpy 1.24.2. Regenerate from the
repository root with

    apt-get install -y python3-sklearn
    /usr/bin/python3 model-trainer/src/test/resources/eval/make_fixtures.py

Each case has scores (higher = more likely mislabelled), the truth (1 = mislabelled) and a flag
(1 = flagged noisy); the fixture holds roc_auc_score, average_precision_score,
precision_recall_curve (thresholds ascending, as sklearn returns them, without its final (1, 0)
point) and precision/recall/F1 of the flag (zero_division=0).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, f1_score, precision_recall_curve,
                             precision_score, recall_score, roc_auc_score)

OUT = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(7)


def case(name, scores, truth, flag):
    scores = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(truth, dtype=np.int64)
    flag = np.asarray(flag, dtype=np.int64)
    p, r, t = precision_recall_curve(truth, scores)
    return {
        "name": name,
        "scores": scores.tolist(),
        "truth": truth.tolist(),
        "flag": flag.tolist(),
        "auroc": float(roc_auc_score(truth, scores)),
        "averagePrecision": float(average_precision_score(truth, scores)),
        "curveThresholds": t.tolist(),
        "curvePrecision": p[:-1].tolist(),
        "curveRecall": r[:-1].tolist(),
        "precision": float(precision_score(truth, flag, zero_division=0)),
        "recall": float(recall_score(truth, flag, zero_division=0)),
        "f1": float(f1_score(truth, flag, zero_division=0)),
    }


cases = [
    case("hand", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], [0, 1, 0, 1]),
    case("ties", [0.5, 0.5, 0.5, 0.2, 0.9, 0.9, 0.1, 0.5], [1, 0, 1, 0, 1, 0, 0, 0],
         [1, 1, 1, 0, 1, 1, 0, 1]),
    case("perfect", [0.9, 0.8, 0.1, 0.2, 0.3], [1, 1, 0, 0, 0], [1, 1, 0, 0, 0]),
    case("inverted", [0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0], [0, 0, 1, 1]),
]
s = rng.rand(200)
truth = (rng.rand(200) < 0.25 + 0.5 * s).astype(int)
cases.append(case("random200", np.round(s, 2), truth, (s > 0.6).astype(int)))
s = rng.beta(2, 5, 1000)
truth = (rng.rand(1000) < s).astype(int)
cases.append(case("beta1000", s, truth, (s > 0.3).astype(int)))

with open(os.path.join(OUT, "sklearn_detection.json"), "w") as f:
    json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, f)
print("wrote", len(cases), "cases")
