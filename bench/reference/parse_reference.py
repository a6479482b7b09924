#!/usr/bin/python3
"""Turn one reference run (run_reference.sh) into a per-epoch table.

usage: /usr/bin/python3 parse_reference.py RUN_DIR OUT_DIR [--warm-up W]
  RUN_DIR: /tmp/sfa-ref/runs/<name> (checkpoint/*_stats.txt, checkpoint/*_acc.txt, ref.prof, stdout.log, time.txt)
  OUT_DIR: gets reference-epochs.md, reference-epochs.csv, profile-top.txt and copies of the raw logs.

Reading of the reference's logs (Train_cifar.py / dataloader_cifar.py):
  *_stats.txt: one line per loader.run('train', pred, prob) call, i.e. two per SSL epoch, in this order:
      1st: pred2/prob2 = the selection made by net2's eval_train, the labelled set that trains net1
      2nd: pred1/prob1 = the selection made by net1's eval_train, the labelled set that trains net2
    'Numer of labeled samples:N  AUC:a  | Shot P&R: (P R) (P R) (P R)' with groups many (class id < 2),
    medium (2..6), few (>= 7) on the NOISY label; P = share of the selected that are clean, R = share of the clean
    that are selected; AUC of the clean probability against is-clean over all N samples.
  *_acc.txt: 'Epoch:e   Accuracy:acc [per-class acc]' once per epoch (ensemble of both nets' two heads).
  ref.prof: cumulative seconds of Train_cifar.py's warmup / eval_train / train / test; the profile only has totals,
    so the per-call figure is total / calls (warmup and train are called once per net per epoch, eval_train once
    per net per SSL epoch, test once per epoch).
"""
import argparse
import ast
import csv
import glob
import io
import os
import pstats
import re
import shutil

SHOTS = ('many', 'medium', 'few')


def parse_stats(path):
    rows = []
    pat = re.compile(r'Numer of labeled samples:(\d+)\s+AUC:([0-9.]+)\s*\|\s*Shot P&R:\s*(.*)$')
    for line in open(path):
        m = pat.search(line.strip())
        if not m:
            continue
        pr = re.findall(r'\(([0-9.]+) ([0-9.]+)\)', m.group(3))
        rows.append({'labelled': int(m.group(1)), 'auc': float(m.group(2)),
                     'pr': [(float(p), float(r)) for p, r in pr]})
    return rows


def parse_acc(path):
    out = {}
    pat = re.compile(r'Epoch:(\d+)\s+Accuracy:([0-9.]+)\s+(\[.*\])')
    for line in open(path):
        m = pat.search(line)
        if m:
            out[int(m.group(1))] = (float(m.group(2)), ast.literal_eval(m.group(3)))
    return out


def parse_prof(path):
    st = pstats.Stats(path)
    res = {}
    total = st.total_tt
    for (fn, line, name), (cc, nc, tt, ct, callers) in st.stats.items():
        if os.path.basename(fn) == 'Train_cifar.py' and name in ('warmup', 'eval_train', 'train', 'test'):
            res[name] = {'calls': nc, 'total_s': ct, 'per_call_s': ct / nc if nc else 0.0}
    return res, total, st


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('run_dir')
    ap.add_argument('out_dir')
    ap.add_argument('--warm-up', type=int, default=None, help='W (default: read from the log file name _w<W>)')
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)

    stats_path = sorted(glob.glob(os.path.join(a.run_dir, 'checkpoint', '*_stats.txt')))[-1]
    acc_path = sorted(glob.glob(os.path.join(a.run_dir, 'checkpoint', '*_acc.txt')))[-1]
    W = a.warm_up
    if W is None:
        W = int(re.search(r'_w(\d+)_stats\.txt$', stats_path).group(1))
    stats = parse_stats(stats_path)
    acc = parse_acc(acc_path)
    prof, prof_total, st = parse_prof(os.path.join(a.run_dir, 'ref.prof'))

    def per_call(name):
        return prof[name]['per_call_s'] if name in prof else None

    header = ['epoch', 'phase',
              'net1_labelled', 'net1_auc'] + ['net1_%s_%s' % (s, k) for s in SHOTS for k in ('P', 'R')] + \
             ['net2_labelled', 'net2_auc'] + ['net2_%s_%s' % (s, k) for s in SHOTS for k in ('P', 'R')] + \
             ['test_acc'] + ['test_acc_c%d' % c for c in range(10)] + \
             ['warmup_s_per_call', 'eval_train_s_per_call', 'train_s_per_call', 'test_s_per_call']
    rows = []
    for e in sorted(acc):
        ssl = e > W
        r = {'epoch': e, 'phase': 'SSL' if ssl else 'warm-up'}
        if ssl:
            k = 2 * (e - W - 1)
            # net1 = selection made by net1 (2nd line of the epoch), net2 = selection by net2 (1st line)
            for net, line in (('net1', k + 1), ('net2', k)):
                if line < len(stats):
                    s = stats[line]
                    r[net + '_labelled'] = s['labelled']
                    r[net + '_auc'] = s['auc']
                    for (p, rc), sh in zip(s['pr'], SHOTS):
                        r['%s_%s_P' % (net, sh)] = p
                        r['%s_%s_R' % (net, sh)] = rc
        r['test_acc'] = acc[e][0]
        for c, v in enumerate(acc[e][1]):
            r['test_acc_c%d' % c] = v
        if ssl:
            r['eval_train_s_per_call'] = per_call('eval_train')
            r['train_s_per_call'] = per_call('train')
        else:
            r['warmup_s_per_call'] = per_call('warmup')
        r['test_s_per_call'] = per_call('test')
        rows.append(r)

    def fmt(v):
        if v is None or v == '':
            return ''
        if isinstance(v, float):
            return '%.4f' % v if v < 1.0 + 1e-9 and not isinstance(v, bool) else '%.2f' % v
        return str(v)

    with open(os.path.join(a.out_dir, 'reference-epochs.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, '') for k in header})

    md = io.StringIO()
    md.write('# SFA reference run: per epoch\n\n')
    md.write('Run dir: `%s`; W = %d; stats log `%s`, acc log `%s`.\n\n' % (
        a.run_dir, W, os.path.basename(stats_path), os.path.basename(acc_path)))
    md.write('`netK` = the clean set selected by netK\'s eval_train (net1\'s selection trains net2 and vice versa). '
             'P/R per shot group (many = classes 0-1, medium = 2-6, few = 7-9, on the noisy label): '
             'P = clean share of the selected, R = selected share of the clean.\n\n')
    md.write('## Selection and test accuracy\n\n')
    cols = ['epoch', 'phase']
    for net in ('net1', 'net2'):
        cols += [net + '_labelled', net + '_auc'] + ['%s_%s_%s' % (net, s, k) for s in SHOTS for k in ('P', 'R')]
    cols += ['test_acc']
    md.write('| ' + ' | '.join(c.replace('_', ' ') for c in cols) + ' |\n')
    md.write('|' + '---|' * len(cols) + '\n')
    for r in rows:
        md.write('| ' + ' | '.join(fmt(r.get(c)) for c in cols) + ' |\n')
    md.write('\n## Per-class test accuracy (%)\n\n')
    cols2 = ['epoch', 'test_acc'] + ['test_acc_c%d' % c for c in range(10)]
    md.write('| epoch | all | ' + ' | '.join('c%d' % c for c in range(10)) + ' |\n')
    md.write('|' + '---|' * len(cols2) + '\n')
    for r in rows:
        md.write('| ' + ' | '.join('%s' % r.get(c, '') for c in cols2) + ' |\n')
    md.write('\n## Time per phase (cProfile, cumulative, one core)\n\n')
    md.write('| function | calls | total s | s per call |\n|---|---:|---:|---:|\n')
    for name in ('warmup', 'eval_train', 'train', 'test'):
        if name in prof:
            p = prof[name]
            md.write('| %s() | %d | %.1f | %.1f |\n' % (name, p['calls'], p['total_s'], p['per_call_s']))
    md.write('| whole script (profile total) | | %.1f | |\n' % prof_total)
    tpath = os.path.join(a.run_dir, 'time.txt')
    if os.path.exists(tpath):
        md.write('\n`time.txt` (wall clock, includes interpreter start and data loading):\n\n```\n%s```\n'
                 % open(tpath).read())
    with open(os.path.join(a.out_dir, 'reference-epochs.md'), 'w') as f:
        f.write(md.getvalue())

    with open(os.path.join(a.out_dir, 'profile-top.txt'), 'w') as f:
        for key, n in (('cumulative', 50), ('tottime', 30)):
            s = io.StringIO()
            pstats.Stats(os.path.join(a.run_dir, 'ref.prof'), stream=s).strip_dirs().sort_stats(key).print_stats(n)
            f.write('==== sorted by %s, top %d ====\n%s\n' % (key, n, s.getvalue()))

    for pth in (stats_path, acc_path):
        shutil.copy(pth, a.out_dir)
    for name in ('stdout.log', 'time.txt'):
        src = os.path.join(a.run_dir, name)
        if os.path.exists(src):
            if name == 'stdout.log':  # progress lines use \r; keep the last state of each line
                text = open(src, errors='replace').read()
                lines = [ln.split('\r')[-1] if '\r' in ln else ln for ln in text.split('\n')]
                open(os.path.join(a.out_dir, 'stdout.log'), 'w').write('\n'.join(lines))
            else:
                shutil.copy(src, a.out_dir)
    print(md.getvalue())


if __name__ == '__main__':
    main()
