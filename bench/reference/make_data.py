#!/usr/bin/python3
"""Write Fashion-MNIST in the CIFAR-10 layouts (python pickles + binary) plus a small long-tailed noisy split
in the JSON formats of the SFA reference (HotanLee/SFA, dataloader_cifar.py).

Images: 28x28 grey, zero-padded 2 px on each side to 32x32, grey copied to R, G and B (planar rows of 3072 bytes:
1024 R, 1024 G, 1024 B, each row-major).

Split: the reference's own protocol (cifar_dataset.get_img_num_per_cls / gen_imbalanced_data / get_noisy_data),
re-implemented line for line but with a given n_max instead of len(data)/10 = 5000:
  n_k = int(n_max * rho**(k/9)); per class, np.random.shuffle(indices of the class) and keep the first n_k
  (class 0's indices first);
  'imb' noise: idx = list(range(N)); random.shuffle(idx); the first int(r*N) get a new label drawn with
  np.random.choice(10, p=p[true]) where p[true] is proportional to the n_k with p[true][true] = 0.
Seeding as the reference's set_seed: random.seed(seed); np.random.seed(seed).

Usage: /usr/bin/python3 make_data.py [--src /usr/share/datasets/fashion-mnist] [--out /tmp/sfa-ref-data]
         [--max-per-class 150] [--imbalance 0.1] [--noise-ratio 0.3] [--seed 123]
"""
import argparse
import gzip
import json
import os
import pickle
import random
import shutil
import struct

import numpy as np

NUM_CLASSES = 10


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    magic = struct.unpack('>I', raw[:4])[0]
    ndim = magic & 0xFF
    dtype_code = (magic >> 8) & 0xFF
    assert dtype_code == 0x08, 'expected unsigned byte IDX data, got type 0x%02x in %s' % (dtype_code, path)
    dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    assert data.size == int(np.prod(dims)), path
    return data.reshape(dims)


def to_cifar_rows(images):
    """(n, 28, 28) uint8 -> (n, 3072) uint8 planar RGB rows of the 32x32 zero-padded image."""
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2)), mode='constant', constant_values=0)  # (n, 32, 32)
    flat = padded.reshape(len(images), 1024)
    return np.ascontiguousarray(np.concatenate([flat, flat, flat], axis=1))  # R, G, B planes


def write_py_batch(path, rows, labels, batch_label):
    d = {'batch_label': batch_label,
         'labels': [int(x) for x in labels],
         'data': rows,
         'filenames': ['fmnist_%05d.png' % i for i in range(len(labels))]}
    with open(path, 'wb') as f:
        pickle.dump(d, f, protocol=2)


def write_bin_batch(path, rows, labels):
    rec = np.empty((len(labels), 3073), dtype=np.uint8)
    rec[:, 0] = labels
    rec[:, 1:] = rows
    with open(path, 'wb') as f:
        f.write(rec.tobytes())


def img_num_per_cls(n_max, rho):
    # reference: img_max * (imb_factor**(cls_idx / (cls_num - 1.0))), int()
    return [int(n_max * (rho ** (k / (NUM_CLASSES - 1.0)))) for k in range(NUM_CLASSES)]


def gen_imbalanced(targets, counts):
    # reference gen_imbalanced_data (uses np.random global state)
    imb_sample = []
    targets_np = np.array(targets, dtype=np.int64)
    classes = np.unique(targets_np)
    for the_class, the_img_num in zip(classes, counts):
        idx = np.where(targets_np == the_class)[0]
        np.random.shuffle(idx)
        imb_sample.extend(idx[:the_img_num])
    return np.array(imb_sample).tolist()


def gen_imb_noise(train_label, cls_num_list, noise_ratio):
    # reference get_noisy_data, noise_mode == 'imb' (uses random and np.random global state)
    noise_label = []
    num_train = len(train_label)
    idx = list(range(num_train))
    random.shuffle(idx)
    num_noise = int(noise_ratio * num_train)
    noise_idx = set(idx[:num_noise])  # the reference tests `i in list`; a set gives the same answers
    p = np.array([cls_num_list for _ in range(NUM_CLASSES)])
    for i in range(NUM_CLASSES):
        p[i][i] = 0
    p = p / p.sum(axis=1, keepdims=True)
    for i in range(num_train):
        if i in noise_idx:
            newlabel = np.random.choice(NUM_CLASSES, p=p[train_label[i]])
            assert newlabel != train_label[i]
            noise_label.append(newlabel)
        else:
            noise_label.append(train_label[i])
    return np.array(noise_label, dtype=np.int8).tolist(), num_noise


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--src', default='/usr/share/datasets/fashion-mnist')
    ap.add_argument('--out', default='/tmp/sfa-ref-data')
    ap.add_argument('--max-per-class', type=int, default=150)
    ap.add_argument('--imbalance', type=float, default=0.1)
    ap.add_argument('--noise-ratio', type=float, default=0.3)
    ap.add_argument('--seed', type=int, default=123)
    a = ap.parse_args()

    tr_x = read_idx(os.path.join(a.src, 'train-images-idx3-ubyte.gz'))
    tr_y = read_idx(os.path.join(a.src, 'train-labels-idx1-ubyte.gz'))
    te_x = read_idx(os.path.join(a.src, 't10k-images-idx3-ubyte.gz'))
    te_y = read_idx(os.path.join(a.src, 't10k-labels-idx1-ubyte.gz'))
    assert tr_x.shape[1:] == (28, 28) and len(tr_x) == len(tr_y) >= 50000
    assert te_x.shape == (10000, 28, 28) and len(te_y) == 10000
    tr_x, tr_y = tr_x[:50000], tr_y[:50000]

    py_dir = os.path.join(a.out, 'cifar-10-batches-py')
    bin_dir = os.path.join(a.out, 'cifar-10-batches-bin')
    os.makedirs(py_dir, exist_ok=True)
    os.makedirs(bin_dir, exist_ok=True)

    tr_rows = to_cifar_rows(tr_x)
    te_rows = to_cifar_rows(te_x)
    for b in range(5):
        s = slice(b * 10000, (b + 1) * 10000)
        write_py_batch(os.path.join(py_dir, 'data_batch_%d' % (b + 1)), tr_rows[s], tr_y[s],
                       'training batch %d of 5' % (b + 1))
        write_bin_batch(os.path.join(bin_dir, 'data_batch_%d.bin' % (b + 1)), tr_rows[s], tr_y[s])
    write_py_batch(os.path.join(py_dir, 'test_batch'), te_rows, te_y, 'testing batch 1 of 1')
    write_bin_batch(os.path.join(bin_dir, 'test_batch.bin'), te_rows, te_y)
    with open(os.path.join(py_dir, 'batches.meta'), 'wb') as f:
        pickle.dump({'num_cases_per_batch': 10000, 'num_vis': 3072,
                     'label_names': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
                                     'Sneaker', 'Bag', 'Ankle boot']}, f, protocol=2)
    with open(os.path.join(bin_dir, 'batches.meta.txt'), 'w') as f:
        f.write('\n'.join(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
                           'Sneaker', 'Bag', 'Ankle boot']) + '\n')

    # long-tailed noisy split, the reference's protocol and seeding
    random.seed(a.seed)
    np.random.seed(a.seed)
    counts = img_num_per_cls(a.max_per_class, a.imbalance)
    imb = gen_imbalanced(tr_y.astype(np.int64), counts)
    true = tr_y[np.array(imb)].astype(np.int64).tolist()
    noisy, num_noise = gen_imb_noise(true, list(counts), a.noise_ratio)

    imb_name = 'cifar10_exp_' + str(a.imbalance)
    noise_name = imb_name + '_imb_' + str(a.noise_ratio)
    for root in (py_dir, os.path.join(a.out, 'split')):
        os.makedirs(os.path.join(root, 'imb_file'), exist_ok=True)
        os.makedirs(os.path.join(root, 'noise_file'), exist_ok=True)
    imb_path = os.path.join(py_dir, 'imb_file', imb_name)
    noise_path = os.path.join(py_dir, 'noise_file', noise_name)
    with open(imb_path, 'w') as f:
        json.dump(imb, f)
    with open(noise_path, 'w') as f:
        json.dump(noisy, f)
    shutil.copyfile(imb_path, os.path.join(a.out, 'split', 'imb_file', imb_name))
    shutil.copyfile(noise_path, os.path.join(a.out, 'split', 'noise_file', noise_name))

    true_np, noisy_np = np.array(true), np.array(noisy)
    flips = int((true_np != noisy_np).sum())
    print('wrote %s (pickles), %s (binary)' % (py_dir, bin_dir))
    print('split: %s\n       %s\n       (copies under %s)' % (imb_path, noise_path, os.path.join(a.out, 'split')))
    print('N = %d  (n_max %d, rho %s, noise %s, seed %d)' % (len(imb), a.max_per_class, a.imbalance,
                                                            a.noise_ratio, a.seed))
    print('profile n_k        :', counts)
    print('true class counts  :', np.bincount(true_np, minlength=NUM_CLASSES).tolist())
    print('noisy class counts :', np.bincount(noisy_np, minlength=NUM_CLASSES).tolist())
    print('flips = %d (int(r*N) = %d)' % (flips, num_noise))
    print('flips per true class:', np.bincount(true_np[true_np != noisy_np], minlength=NUM_CLASSES).tolist())
    print('clean per noisy class:', [int(((noisy_np == k) & (true_np == k)).sum()) for k in range(NUM_CLASSES)])


if __name__ == '__main__':
    main()
