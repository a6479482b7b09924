#!/usr/bin/env python3
"""PyTorch side of the network checks in io.sfastream.nn.TorchParityTest.

Builds PreAct ResNet-18 (SFA's PreResNet.py ResNet18) and Inception-ResNet-v2 (SFA's InceptionResNetV2.py)
in plain PyTorch (written for sfa-stream, same module layout as the reference), fills every parameter and
BatchNorm buffer with a closed-form value that the Java test computes too, runs a forward pass in eval and in
train mode on a closed-form input, and writes the parameter counts and outputs to JSON next to this script.
No weights are stored: the formula below is the shared definition.

    value(p, j) = sin(0.61*j + 1.37*p + 0.25)   (float64, then float32)
    p = position of the tensor in state_dict order without num_batches_tracked, j = flat (C-order) index
    conv/linear weight (ndim >= 2): s * sqrt(3/fan_in)     BatchNorm weight (1-d): 1 + 0.1*s
    any bias: 0.1*s     running_mean: 0.1*s     running_var: 1 + 0.25*(s + 1)
    input x[j] = sin(0.37*j + 0.5)

With --reference-dir DIR (a checkout of github.com/HotanLee/SFA), also builds the reference modules, checks
that their state_dict names and shapes equal ours and that they give the same outputs.

Run: /usr/bin/python3 torch_nets.py [--reference-dir DIR]   (Debian python3-torch 1.13, CPU)
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- PreAct ResNet-18 (SFA flavour)
class PreActUnit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False))

    def forward(self, x):
        a = F.relu(self.bn1(x))
        return self.conv2(F.relu(self.bn2(self.conv1(a)))) + self.shortcut(a)


class PreActResNet18(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        layers, cin = [], 64
        for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            layers.append(nn.Sequential(PreActUnit(cin, cout, stride), PreActUnit(cout, cout, 1)))
            cin = cout
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.linear = nn.Linear(512, num_classes)
        self.linear2 = nn.Linear(512, num_classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        f = F.avg_pool2d(out, 4).flatten(1)  # no final BN/ReLU
        return f, self.linear(f), self.linear2(f)


# ---------------------------------------------------------------- Inception-ResNet-v2
class Conv(nn.Module):  # BasicConv2d
    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001, momentum=0.1)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Cat(nn.Module):
    def __init__(self, *branches):
        super().__init__()
        for i, b in enumerate(branches):
            self.add_module('branch%d' % i, b)

    def forward(self, x):
        return torch.cat([b(x) for b in self.children()], 1)


class Residual(nn.Module):
    def __init__(self, branches, channels, scale, relu=True):
        super().__init__()
        self.branches = branches
        self.conv2d = nn.Conv2d(branches.out_channels, channels, 1)
        self.scale, self.relu = scale, relu

    def forward(self, x):
        out = self.conv2d(self.branches(x)) * self.scale + x
        return F.relu(out) if self.relu else out


def residual(channels, scale, relu, *branches):
    cat = Cat(*branches)
    cat.out_channels = {320: 128, 1088: 384, 2080: 448}[channels]
    return Residual(cat, channels, scale, relu)


def block35():
    return residual(320, 0.17, True, Conv(320, 32, 1),
                    nn.Sequential(Conv(320, 32, 1), Conv(32, 32, 3, padding=1)),
                    nn.Sequential(Conv(320, 32, 1), Conv(32, 48, 3, padding=1), Conv(48, 64, 3, padding=1)))


def block17():
    return residual(1088, 0.10, True, Conv(1088, 192, 1),
                    nn.Sequential(Conv(1088, 128, 1), Conv(128, 160, (1, 7), padding=(0, 3)),
                                  Conv(160, 192, (7, 1), padding=(3, 0))))


def block8(scale=0.20, relu=True):
    return residual(2080, scale, relu, Conv(2080, 192, 1),
                    nn.Sequential(Conv(2080, 192, 1), Conv(192, 224, (1, 3), padding=(0, 1)),
                                  Conv(224, 256, (3, 1), padding=(1, 0))))


class InceptionResNetV2(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.body = nn.Sequential(
            Conv(3, 32, 3, 2), Conv(32, 32, 3), Conv(32, 64, 3, padding=1), nn.MaxPool2d(3, 2),
            Conv(64, 80, 1), Conv(80, 192, 3), nn.MaxPool2d(3, 2),
            Cat(Conv(192, 96, 1),
                nn.Sequential(Conv(192, 48, 1), Conv(48, 64, 5, padding=2)),
                nn.Sequential(Conv(192, 64, 1), Conv(64, 96, 3, padding=1), Conv(96, 96, 3, padding=1)),
                nn.Sequential(nn.AvgPool2d(3, 1, 1, count_include_pad=False), Conv(192, 64, 1))),
            nn.Sequential(*[block35() for _ in range(10)]),
            Cat(Conv(320, 384, 3, 2),
                nn.Sequential(Conv(320, 256, 1), Conv(256, 256, 3, padding=1), Conv(256, 384, 3, 2)),
                nn.MaxPool2d(3, 2)),
            nn.Sequential(*[block17() for _ in range(20)]),
            Cat(nn.Sequential(Conv(1088, 256, 1), Conv(256, 384, 3, 2)),
                nn.Sequential(Conv(1088, 256, 1), Conv(256, 288, 3, 2)),
                nn.Sequential(Conv(1088, 256, 1), Conv(256, 288, 3, padding=1), Conv(288, 320, 3, 2)),
                nn.MaxPool2d(3, 2)),
            nn.Sequential(*[block8() for _ in range(9)]),
            block8(1.0, False),
            Conv(2080, 1536, 1))
        self.last_linear = nn.Linear(1536, num_classes)
        self.last_linear2 = nn.Linear(1536, num_classes)

    def forward(self, x):
        f = F.avg_pool2d(self.body(x), 8, count_include_pad=False).flatten(1)
        return f, self.last_linear(f), self.last_linear2(f)


# ---------------------------------------------------------------- shared closed-form values
def tensors(model):
    return [(k, v) for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')]


def fill(model):
    with torch.no_grad():
        for p, (name, t) in enumerate(tensors(model)):
            j = np.arange(t.numel(), dtype=np.float64)
            s = np.sin(0.61 * j + 1.37 * p + 0.25)
            if name.endswith('running_mean'):
                v = 0.1 * s
            elif name.endswith('running_var'):
                v = 1.0 + 0.25 * (s + 1.0)
            elif name.endswith('bias'):
                v = 0.1 * s
            elif t.dim() == 1:
                v = 1.0 + 0.1 * s
            else:
                v = s * math.sqrt(3.0 / (t.numel() // t.shape[0]))
            t.copy_(torch.from_numpy(v.astype(np.float32)).view_as(t))


def closed_form_input(shape):
    n = int(np.prod(shape))
    return torch.from_numpy(np.sin(0.37 * np.arange(n, dtype=np.float64) + 0.5).astype(np.float32)).view(*shape)


def outputs(model, x, train):
    model.train(train)
    with torch.no_grad():
        f, z1, z2 = model(x)
    return {'features': f.tolist(), 'logits': z1.tolist(), 'balancedLogits': z2.tolist()}


def run(name, model, shape, reference=None):
    x = closed_form_input(shape)
    if reference is not None:
        check_reference(name, model, reference, x)
    fill(model)
    doc = {
        'model': name,
        'input_shape': list(shape),
        'parameters': sum(p.numel() for p in model.parameters()),
        'head_parameters': 2 * (model_head(model).weight.numel() + model_head(model).bias.numel()),
        'tensor_shapes': [list(t.shape) for _, t in tensors(model)],
        'eval': outputs(model, x, False),
        'train': outputs(model, x, True),  # batch statistics; runs after eval, so eval saw the filled buffers
    }
    return doc


def model_head(model):
    return model.linear if hasattr(model, 'linear') else model.last_linear


def check_reference(name, ours, ref, x):
    fill(ours)
    a, b = tensors(ours), tensors(ref)
    assert [list(t.shape) for _, t in a] == [list(t.shape) for _, t in b], name + ': state_dict shapes differ'
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in ref.parameters())
    fill(ref)
    for train in (False, True):  # eval first: train mode updates the running statistics of both
        ours.train(train)
        ref.train(train)
        with torch.no_grad():
            f1, z1, _ = ours(x)
            f2, z2 = ref(x, return_features=True)
        print('%s reference check (train=%s): max|dfeat| = %.3g, max|dlogit| = %.3g'
              % (name, train, (f1 - f2).abs().max().item(), (z1 - z2).abs().max().item()))
        assert torch.allclose(f1, f2, rtol=1e-5, atol=1e-5) and torch.allclose(z1, z2, rtol=1e-5, atol=1e-5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reference-dir', help='checkout of github.com/HotanLee/SFA for an extra check')
    ap.add_argument('--out-dir', default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    ref_pre = ref_inc = None
    if args.reference_dir:
        sys.path.insert(0, args.reference_dir)
        from PreResNet import ResNet18
        from InceptionResNetV2 import InceptionResNetV2 as RefIRV2
        ref_pre, ref_inc = ResNet18(num_classes=10), RefIRV2(num_classes=50)
    docs = {
        'preact_resnet18.json': run('preact-resnet18', PreActResNet18(10), (2, 3, 32, 32), ref_pre),
        'inception_resnet_v2.json': run('inception-resnet-v2', InceptionResNetV2(50), (2, 3, 299, 299), ref_inc),
    }
    for file, doc in docs.items():
        doc['torch_version'] = torch.__version__
        with open(os.path.join(args.out_dir, file), 'w') as f:
            json.dump(doc, f, separators=(',', ':'))
        print('%s: %d parameters (%d in the two heads), %d tensors'
              % (file, doc['parameters'], doc['head_parameters'], len(doc['tensor_shapes'])))


if __name__ == '__main__':
    main()
