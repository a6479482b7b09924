#!/usr/bin/env python3
"""PyTorch half of the sfa-stream CPU benchmark (see README.md): the same networks, batch, loss and optimiser as
io.sfastream.bench.TrainStepBench, in plain PyTorch (Debian python3-torch 1.13).

  train step: forward in train mode, CE(z1) + Balanced-Softmax CE(z2 + log n), backward, SGD(lr 0.02,
              momentum 0.9, weight decay 5e-4) -- optimizer.zero_grad() included
  forward:    uint8 HWC pixels -> normalised float CHW tensor, eval mode, no_grad, features and both heads'
              logits copied to numpy (the same work FeatureExtractor.embed does)

Usage: python3 torch_bench.py --threads N [--batch 64 --warmup 3 --timed-resnet 15 --timed-cnn 50]
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'model-trainer', 'src', 'test', 'resources', 'nets'))
from torch_nets import PreActResNet18  # noqa: E402  (checked against the DJL network by TorchParityTest)


class SmallCnn(nn.Module):
    """Backbones.smallCnn() + SfaNet's two heads."""

    def __init__(self, channels, num_classes):
        super().__init__()
        layers, cin = [], channels
        for i, cout in enumerate((32, 64, 128)):
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
            if i < 2:
                layers.append(nn.MaxPool2d(2, 2))
            cin = cout
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(128, num_classes)
        self.head2 = nn.Linear(128, num_classes)

    def forward(self, x):
        f = self.body(x).mean((2, 3))
        return f, self.head(f), self.head2(f)


def timed(warmup, iters, fn):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return sorted(out)


def report(name, phase, batch, secs):
    best, med = secs[0], statistics.median(secs)
    print('torch %-16s %-8s iters=%d best=%.4fs median=%.4fs -> best %.1f, median %.1f samples/s'
          % (name, phase, len(secs), best, med, batch / best, batch / med), flush=True)


def run(name, model, shape, mean, std, batch, warmup, iters):
    torch.manual_seed(1)
    c, h, w = shape
    x = torch.randn(batch, c, h, w)
    y = torch.randint(0, 10, (batch,))
    counts = torch.full((10,), 100.0)
    counts[0] = 5000.0
    log_n = counts.log()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=5e-4)

    def train_step():
        model.train()
        opt.zero_grad()
        _, z1, z2 = model(x)
        loss = F.cross_entropy(z1, y) + F.cross_entropy(z2 + log_n, y)
        loss.backward()
        opt.step()
        return loss.item()

    pixels = np.random.default_rng(1).integers(0, 256, size=(batch, h, w, c), dtype=np.uint8)
    m = torch.tensor(mean).view(1, c, 1, 1)
    s = torch.tensor(std).view(1, c, 1, 1)

    def forward():
        model.eval()
        with torch.no_grad():
            t = torch.from_numpy(pixels).permute(0, 3, 1, 2).float().div(255).sub(m).div(s).contiguous()
            f, z1, z2 = model(t)
            return f.numpy().copy(), z1.numpy().copy(), z2.numpy().copy()

    report(name, 'train', batch, timed(warmup, iters, train_step))
    report(name, 'forward', batch, timed(warmup, iters, forward))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, required=True)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--timed-resnet', type=int, default=15)
    ap.add_argument('--timed-cnn', type=int, default=50)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    print('# torch %s, threads=%d interop=%d, batch %d, warm-up %d'
          % (torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads(), a.batch, a.warmup))
    run('preact-resnet18', PreActResNet18(10), (3, 32, 32), [0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010],
        a.batch, a.warmup, a.timed_resnet)
    run('small-cnn', SmallCnn(1, 10), (1, 28, 28), [0.2860], [0.3530], a.batch, a.warmup, a.timed_cnn)


if __name__ == '__main__':
    main()
