#!/usr/bin/python3
# usage: PYTHONPATH=bench/reference/refshim /usr/bin/python3 bench/reference/diag_ice_threshold.py CHECKPOINT.pth EPOCH
#   (run from /tmp/sfa-ref/code; EPOCH = the SSL epoch whose threshold tau*phi**EPOCH is applied)
# Diagnose the NaN in eval_train: per noisy class, how many samples pass the ICE confidence threshold
# tau*phi**epoch on the balanced-softmax head (Train_cifar.eval_train logic, re-done outside the reference).
import sys, io, numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, '/tmp/sfa-ref/code')
from PreResNet import ResNet18
import dataloader_cifar as d
ck = torch.load(sys.argv[1], map_location='cpu'); epoch = int(sys.argv[2])
L = d.cifar_dataloader('cifar10','exp',0.1,'imb',0.3,64,5,'/tmp/sfa-ref-data/cifar-10-batches-py',io.StringIO())
ev = L.run('eval_train'); lab = torch.tensor(ev.dataset.noise_label)
thr = 0.1 * 1.005 ** epoch
for k in ('net1', 'net2'):
    net = ResNet18(10); net.load_state_dict(ck[k]); net.eval()
    conf = torch.zeros(len(lab)); pred = torch.zeros(len(lab)).long(); pred1 = torch.zeros(len(lab)).long()
    with torch.no_grad():
        for x, y, i in ev:
            f, o = net(x, return_features=True); p2 = F.softmax(net.classify2(f), 1)
            conf[i] = p2[range(len(y)), y]; pred[i] = p2.argmax(1); pred1[i] = o.argmax(1)
    sel = [int(((lab == c) & (conf > thr)).sum()) for c in range(10)]
    print(k, 'threshold %.4f' % thr, 'selected per noisy class', sel,
          '| BS-head conf on noisy label min/mean/max %.4f/%.4f/%.4f' % (conf.min(), conf.mean(), conf.max()),
          '| head-2 argmax counts', torch.bincount(pred, minlength=10).tolist(),
          '| head-1 argmax counts', torch.bincount(pred1, minlength=10).tolist())
