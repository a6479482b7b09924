"""CPU shims for running the SFA reference code (HotanLee/SFA) unchanged. Loaded automatically by Python at start-up
when this folder is on PYTHONPATH (it shadows Debian's /usr/lib/python3.11/sitecustomize.py, which only sets up
apport hooks). Every shim is listed in bench/reference/README.md.

 1. torch.Tensor.cuda(...)  -> returns the tensor itself (CPU).
 2. torch.nn.Module.cuda(...) -> returns the module itself.
 3. torch.cuda.set_device(...) -> no-op (Train_cifar.set_seed calls it; it raises without CUDA).
    torch.cuda.manual_seed / manual_seed_all need nothing: they are silently ignored without CUDA.
 4. torch.utils.data.DataLoader(num_workers=...) -> forced to num_workers=0 (the reference asks for 5 worker
    processes; we want the loaders in the main process, on the one pinned core, and in the profile).
 5. DataLoader iterators get .next() = __next__ (torch 1.13 has no .next(); Train_cifar.train calls
    unlabeled_train_iter.next() inside a bare try/except whose handler calls .next() again, so without it the first
    SSL batch dies with AttributeError). With it the reference's logic is intact: StopIteration of the unlabelled
    iterator is caught and the iterator rebuilt, as on the torch 1.12 the authors used.
 6. module torchnet.meter with AUCMeter (reset / add(output, target) / value() -> (auc, tpr, fpr)), AUC by
    sklearn.metrics.roc_auc_score, tpr/fpr by sklearn.metrics.roc_curve; torchnet is not installed.
KNNClassifier.update moves tensors to the device only `if torch.cuda.is_available()` (False here), so it needs
nothing; PreResNet.py has no CUDA-only code.
"""
import os
import sys
import types

if os.environ.get('SFA_REFSHIM_OFF') != '1':
    import numpy as _np
    import torch as _torch
    import torch.utils.data as _tud
    import torch.utils.data.dataloader as _tdl

    # 1, 2
    def _tensor_cuda(self, *args, **kwargs):
        return self

    def _module_cuda(self, *args, **kwargs):
        return self

    _torch.Tensor.cuda = _tensor_cuda
    _torch.nn.Module.cuda = _module_cuda

    # 3
    _torch.cuda.set_device = lambda *args, **kwargs: None

    # 4
    _orig_dl_init = _tud.DataLoader.__init__

    def _dl_init(self, *args, **kwargs):
        # DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler, num_workers, ...): positional index 5
        if len(args) > 5:
            args = list(args)
            args[5] = 0
            kwargs.pop('num_workers', None)
        else:
            kwargs['num_workers'] = 0
        _orig_dl_init(self, *args, **kwargs)

    _tud.DataLoader.__init__ = _dl_init

    # 5
    if not hasattr(_tdl._BaseDataLoaderIter, 'next'):
        _tdl._BaseDataLoaderIter.next = _tdl._BaseDataLoaderIter.__next__

    # 6
    class AUCMeter(object):
        """Same interface as torchnet.meter.AUCMeter; AUC computed with sklearn.metrics.roc_auc_score."""

        def __init__(self):
            self.reset()

        def reset(self):
            self.scores = _np.zeros(0, dtype=_np.float64)
            self.targets = _np.zeros(0, dtype=_np.int64)

        def add(self, output, target):
            if _torch.is_tensor(output):
                output = output.cpu().squeeze().numpy()
            if _torch.is_tensor(target):
                target = target.cpu().squeeze().numpy()
            output = _np.asarray(output, dtype=_np.float64).reshape(-1)
            target = _np.asarray(target).reshape(-1).astype(_np.int64)
            assert output.shape[0] == target.shape[0], 'wrong output size'
            assert _np.all(_np.logical_or(target == 1, target == 0)), 'targets should be binary (0, 1)'
            self.scores = _np.append(self.scores, output)
            self.targets = _np.append(self.targets, target)

        def value(self):
            from sklearn.metrics import roc_auc_score, roc_curve
            if self.scores.shape[0] == 0 or len(_np.unique(self.targets)) < 2:
                return 0.5, None, None
            auc = float(roc_auc_score(self.targets, self.scores))
            fpr, tpr, _ = roc_curve(self.targets, self.scores)
            return auc, tpr, fpr

    _tn = types.ModuleType('torchnet')
    _tn.__path__ = []  # a package, so `from torchnet.meter import AUCMeter` works
    _meter = types.ModuleType('torchnet.meter')
    _meter.AUCMeter = AUCMeter
    _tn.meter = _meter
    sys.modules.setdefault('torchnet', _tn)
    sys.modules.setdefault('torchnet.meter', _meter)
