#!/usr/bin/env python3
"""Writes tiny_encoder.pt (a TorchScript image encoder, 28x28 grey -> 16-d features) and tiny_encoder.json (its
eval-mode features on a closed-form input) for io.sfastream.nn.TorchScriptEncoderTest.

Run: /usr/bin/python3 make_tiny_encoder.py   (Debian python3-torch 1.13, CPU). The weights come from
torch.manual_seed(0); BatchNorm running statistics are set to non-trivial values so eval mode is checked.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn


class TinyEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.max_pool2d(x, 2)
        x = torch.relu(self.conv2(x))
        return torch.flatten(self.pool(x), 1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    enc = TinyEncoder()
    with torch.no_grad():
        enc.bn1.running_mean.copy_(torch.linspace(-0.2, 0.2, 8))
        enc.bn1.running_var.copy_(torch.linspace(0.5, 1.5, 8))
    enc.eval()
    scripted = torch.jit.script(enc)
    scripted.save(os.path.join(here, 'tiny_encoder.pt'))
    n = 2 * 28 * 28
    x = torch.from_numpy(np.sin(0.37 * np.arange(n, dtype=np.float64) + 0.5).astype(np.float32)).view(2, 1, 28, 28)
    with torch.no_grad():
        f = scripted(x)
    doc = {'torch_version': torch.__version__, 'input_shape': [2, 1, 28, 28], 'feature_dim': 16,
           'parameters': sum(p.numel() for p in enc.parameters()), 'features': f.tolist()}
    with open(os.path.join(here, 'tiny_encoder.json'), 'w') as fh:
        json.dump(doc, fh)
    print('tiny_encoder.pt: %d bytes, %d parameters' % (os.path.getsize(os.path.join(here, 'tiny_encoder.pt')),
                                                       doc['parameters']))


if __name__ == '__main__':
    main()
