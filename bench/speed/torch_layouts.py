#!/usr/bin/env python3
"""Does libtorch itself get faster on this CPU with channels-last or bf16? (issue 11, item 4)

PreAct ResNet-18 train step (forward in train mode, CE on both heads, backward, SGD step) at batch 128,
32x32x3, in three variants: fp32 NCHW (what DJL runs), fp32 channels-last, bf16 autocast (CPU). One
thread; prints the median seconds per step of each. Debian python3-torch 1.13:

    taskset -c 0 /usr/bin/python3 bench/speed/torch_layouts.py [--steps 5] [--batch 128]
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'model-trainer', 'src', 'test', 'resources', 'nets'))
from torch_nets import PreActResNet18  # noqa: E402


def step_times(channels_last, bf16, steps, batch):
    torch.manual_seed(0)
    net = PreActResNet18(10)
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9, weight_decay=5e-4)
    net.train()
    times = []
    for i in range(steps + 2):
        t = time.perf_counter()
        opt.zero_grad()
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
            out = net(x)
            logits = out[1]  # (features, head logits, balanced-head logits)
            loss = F.cross_entropy(logits.float(), y)
        loss.backward()
        opt.step()
        if i >= 2:
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--batch', type=int, default=128)
    a = p.parse_args()
    torch.set_num_threads(1)
    print(f'torch {torch.__version__}, 1 thread, batch {a.batch}, {a.steps} timed steps each')
    base = None
    for name, cl, bf in (('fp32 NCHW', False, False), ('fp32 channels-last', True, False), ('bf16 autocast', False, True)):
        s = step_times(cl, bf, a.steps, a.batch)
        base = base or s
        print(f'{name:20s} {s:7.3f} s/step  ({base / s:4.2f}x of fp32 NCHW)')
    f32 = forward_times(False, a.steps * 2, 64)
    b16 = forward_times(True, a.steps * 2, 64)
    print(f'eval forward, batch 64: fp32 {f32:.3f} s, bf16 weights {b16:.3f} s ({f32 / b16:4.2f}x)')



def forward_times(bf16_weights, steps, batch):
    """Eval-mode forward only (the selection and test passes), fp32 or with the weights cast to bf16."""
    torch.manual_seed(0)
    net = PreActResNet18(10).eval()
    x = torch.randn(batch, 3, 32, 32)
    if bf16_weights:
        net, x = net.to(torch.bfloat16), x.to(torch.bfloat16)
    times = []
    with torch.no_grad():
        for i in range(steps + 2):
            t = time.perf_counter()
            net(x)
            if i >= 2:
                times.append(time.perf_counter() - t)
    return statistics.median(times)


if __name__ == '__main__':
    main()
