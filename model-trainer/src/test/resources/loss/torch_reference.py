#!/usr/bin/env python3
"""Prints the SFA loss terms computed with PyTorch, for ReferenceCrossCheckTest.

Run with Debian's PyTorch (apt-get install python3-torch, 1.13):
    /usr/bin/python3 model-trainer/src/test/resources/loss/torch_reference.py
The Java test does not run this script; it holds the printed numbers as constants.

The formulas follow HotanLee/SFA Train_cifar.py (train(), warmup(), SemiLoss, balanced_softmax_loss,
balanced_softmax_loss_Semi, linear_rampup), written out here with plain torch ops. Everything is in
float64 so the numbers check the definitions, not float32 rounding. The inputs are the literal
arrays in ReferenceCrossCheckTest; keep the two in sync.
"""
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=17)
D = torch.float64

B = 2
# 4B = 8 mixed rows, C = 5 classes.
Z1 = torch.tensor([
    [2.0, -1.0, 0.5, 0.0, -0.5],
    [0.3, 1.7, -2.2, 0.9, 0.1],
    [-1.5, 0.0, 3.1, -0.4, 0.8],
    [0.0, 0.0, 0.0, 0.0, 0.0],
    [1.2, -0.7, 0.4, 2.5, -1.9],
    [-0.3, 0.6, -0.9, 1.1, 2.4],
    [4.0, 1.0, -3.0, 0.2, 0.0],
    [-2.0, -1.0, 0.0, 1.0, 2.0],
], dtype=D)
Z2 = torch.tensor([
    [0.4, -0.2, 1.3, -1.1, 0.0],
    [-0.8, 2.2, 0.1, 0.5, -0.6],
    [1.0, 1.0, -1.0, 0.3, 0.7],
    [0.2, -1.4, 0.9, 2.1, -0.3],
    [-0.5, 0.5, -0.5, 0.5, 1.5],
    [3.0, -2.0, 0.0, 1.0, -1.0],
    [0.0, 0.7, 1.4, -0.7, -1.4],
    [1.1, 0.0, -1.1, 2.2, 0.3],
], dtype=D)
# Mixed targets: each row a probability vector.
T = torch.tensor([
    [0.70, 0.10, 0.10, 0.05, 0.05],
    [0.00, 0.80, 0.00, 0.20, 0.00],
    [0.05, 0.05, 0.60, 0.10, 0.20],
    [0.20, 0.20, 0.20, 0.20, 0.20],
    [0.10, 0.00, 0.15, 0.75, 0.00],
    [0.00, 0.25, 0.00, 0.25, 0.50],
    [0.90, 0.05, 0.00, 0.05, 0.00],
    [0.00, 0.00, 0.30, 0.30, 0.40],
], dtype=D)
NHAT = torch.tensor([40.0, 7.0, 0.0, 120.0, 3.0], dtype=D)   # one empty class
NHAT_FLOORED = torch.clamp(NHAT, min=1.0)
LAMBDA_U = 25.0 / 16.0                                      # epoch 31, batch 0


def soft_ce(logits, targets):
    return -torch.mean(torch.sum(F.log_softmax(logits, dim=1) * targets, dim=1))


def mse(logits, targets):
    return torch.mean((torch.softmax(logits, dim=1) - targets) ** 2)


def ssl_terms(z1, z2, t, n):
    logn = n.log()
    lx = soft_ce(z1[:2 * B], t[:2 * B])
    lu = mse(z1[2 * B:], t[2 * B:])
    lbx = soft_ce(z2[:2 * B] + logn, t[:2 * B])
    lbu = mse(z2[2 * B:] + logn, t[2 * B:])
    prior = torch.ones(z1.shape[1], dtype=D) / z1.shape[1]
    pen = torch.sum(prior * torch.log(prior / torch.softmax(z1, dim=1).mean(0)))
    return lx, lu, lbx, lbu, pen, lx + LAMBDA_U * lu + lbx + LAMBDA_U * lbu + pen


def show(name, value):
    print(f"{name} = {value.item() if torch.is_tensor(value) else value!r}")


lx, lu, lbx, lbu, pen, total = ssl_terms(Z1, Z2, T, NHAT_FLOORED)
for name, v in [("LX", lx), ("LU", lu), ("LBX", lbx), ("LBU", lbu), ("PENALTY", pen), ("TOTAL", total)]:
    show(name, v)
# Without the floor the reference's own formula gives a non-finite Lbx.
show("LBX_UNFLOORED", soft_ce(Z2[:2 * B] + NHAT.log(), T[:2 * B]))

# Warm-up: CE(z1, y) + Balanced-Softmax CE(z2, y; n), mean reduction.
Y = torch.tensor([0, 1, 2, 3, 3, 4, 0, 4])
N_NOISY = torch.tensor([5000.0, 2997.0, 1796.0, 1077.0, 645.0], dtype=D)
ce = F.cross_entropy(Z1, Y)
bce = F.cross_entropy(Z2 + N_NOISY.log(), Y)
show("WARMUP_CE", ce)
show("WARMUP_BCE", bce)

# Label refinement (rows 0-1 of Z1 as aug 1, rows 2-3 as aug 2) and co-guessing (rows 4..7 as the
# four views of one row), T = 0.5.
TEMP = 0.5
w = torch.tensor([[0.9], [0.25]], dtype=D)
onehot = torch.zeros(2, 5, dtype=D).scatter_(1, torch.tensor([[0], [3]]), 1)
px = (torch.softmax(Z1[0:2], dim=1) + torch.softmax(Z1[2:4], dim=1)) / 2
px = w * onehot + (1 - w) * px
ptx = px ** (1 / TEMP)
print("REFINED =", (ptx / ptx.sum(dim=1, keepdim=True)).tolist())
pu = sum(torch.softmax(Z1[i:i + 1], dim=1) for i in range(4, 8)) / 4
ptu = pu ** (1 / TEMP)
print("COGUESS =", (ptu / ptu.sum(dim=1, keepdim=True)).tolist())

# Logits of +-1000: the reference's penalty is infinite (softmax underflows to exactly 0).
BIG = torch.tensor([[1000.0, -1000.0, 0.0], [1000.0, 0.0, -1000.0]], dtype=D)
prior3 = torch.ones(3, dtype=D) / 3
show("PENALTY_BIG_REFERENCE", torch.sum(prior3 * torch.log(prior3 / torch.softmax(BIG, dim=1).mean(0))))
