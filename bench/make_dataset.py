#!/usr/bin/python3
"""Generate the ClusterPS benchmark datasets with NumPy (SPEC section 7).

Usage (run with the system NumPy, /usr/bin/python3):

    /usr/bin/python3 bench/make_dataset.py [--root DIR] [--only NAME ...]
    /usr/bin/python3 bench/make_dataset.py --quick DIR      # tiny smoke-test dataset

Datasets, each a folder under --root (default $CLUSTERPS_BENCH_DATA or
$HOME/.cache/clusterps-bench/; keep it outside the repository):

    stored200k/       200,000 clusters in 202 np.savez batch files (~1.6 GB)
    compressed200k/   the same arrays written with np.savez_compressed
    stored1m/         1,000,000 clusters in 1002 np.savez batch files (~8 GB)
    quick/            (only with --quick) 4,000 clusters in 6 files, stored

Each batch file is clusters_plane{U|V|X}_batch{NNNN}.npz with ≤ 1000 clusters,
numbered per plane; the plane mix is 8.75 % U, 10.71 % V, the rest X, so the last
file of each plane is partial. Members (SPEC section 1, Seed12 layout):

    images    float32 N x 128 x 16  zero background, one short track over 1-2
                                   adjacent channels spanning 5-40 ticks, pixel
                                   values 5..200 in steps of 1/16
    metadata  float32 N x 12        0 is_marley (~19 %)  1 is_main_track (~10 %)
                                   2-4 pos  5-7 unit dir  8 nu energy (-1 for
                                   ~25 %)  9 particle energy  10 plane id
                                   (matches the file name)  11 is_es (~70 % ES)

Everything is deterministic: every batch draws from its own generator seeded
with (SEED, plane, batch), so a dataset (and its compressed twin) is the same
array for array on every run. Pixel values are multiples of 1/16 and a track
sums to at most 16,000, so a cluster's charge is exact in float32 and float64
alike: every side of the benchmark gets the same charge for every cluster.

Each dataset folder also gets:
    charge_cut.txt   the -MinCharge value C used by the charge scan: just above the
                     median cluster charge (a median charge + 1/32, never equal to any
                     charge), so a little under half the clusters pass
    manifest.json    counts per plane, files, expected statistics, C and how many pass
    .complete        written last; a folder that has it is skipped on the next run

Only one batch is held in memory at a time.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

TICKS, CHANNELS = 128, 16
PLANES = ("U", "V", "X")
PLANE_ID = {"U": 0, "V": 1, "X": 2}
SEED = 20261125
BATCH = 1000
FRACTION = {"U": 0.0875, "V": 0.1071}  # X gets the rest

DATASETS = {
    # name: (total clusters, compressed?)
    "stored200k": (200_000, False),
    "compressed200k": (200_000, True),
    "stored1m": (1_000_000, False),
}


def default_root():
    env = os.environ.get("CLUSTERPS_BENCH_DATA")
    if env:
        return env
    return os.path.join(os.path.expanduser("~"), ".cache", "clusterps-bench")


def plane_counts(total):
    u = int(round(total * FRACTION["U"]))
    v = int(round(total * FRACTION["V"]))
    return {"U": u, "V": v, "X": total - u - v}


def make_metadata(rng, n, plane):
    md = np.zeros((n, 12), dtype=np.float64)
    is_marley = rng.random(n) < 0.19
    # Marley clusters are more often the main track than background fragments.
    is_main = np.where(is_marley, rng.random(n) < 0.30, rng.random(n) < 0.05)
    pos = np.column_stack([
        rng.uniform(-350.0, 350.0, n),
        rng.uniform(-600.0, 600.0, n),
        rng.uniform(0.0, 1400.0, n),
    ])
    direction = rng.normal(size=(n, 3))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    nu_known = rng.random(n) >= 0.25
    nu_energy = np.where(nu_known, rng.uniform(5.0, 50.0, n), -1.0)
    frac = rng.uniform(0.3, 0.9, n)
    marley_e = np.where(nu_known, nu_energy * frac, rng.uniform(2.0, 40.0, n))
    particle_e = np.clip(np.where(is_marley, marley_e, rng.uniform(0.5, 8.0, n)), 0.5, 40.0)
    is_es = rng.random(n) < 0.70
    md[:, 0] = is_marley
    md[:, 1] = is_main
    md[:, 2:5] = pos
    md[:, 5:8] = direction
    md[:, 8] = nu_energy
    md[:, 9] = particle_e
    md[:, 10] = PLANE_ID[plane]
    md[:, 11] = is_es
    return md.astype(np.float32)


def make_images(rng, md):
    """N x 128 x 16 float32, zero background, one short track per cluster."""
    n = md.shape[0]
    is_marley = md[:, 0] > 0.5
    length = rng.integers(5, 41, n)                      # 5..40 ticks
    t0 = rng.integers(0, TICKS - length + 1)             # start tick
    nch = rng.integers(1, 3, n)                          # 1 or 2 channels
    c0 = rng.integers(0, CHANNELS - nch + 1)             # first channel
    # Marley tracks are brighter on average: the charge cut keeps more of them.
    amp = np.where(is_marley, rng.uniform(60.0, 200.0, n), rng.uniform(20.0, 160.0, n))
    t = np.arange(TICKS)[None, :, None]
    c = np.arange(CHANNELS)[None, None, :]
    t0_, len_, c0_, nch_ = (a[:, None, None] for a in (t0, length, c0, nch))
    mask = (t >= t0_) & (t < t0_ + len_) & (c >= c0_) & (c < c0_ + nch_)
    # A bump along the track (peak in the middle), the second channel dimmer, noise.
    pos = (t - t0_ + 0.5) / len_                         # 0..1 along the track
    profile = 0.35 + 0.65 * np.sin(np.pi * pos)
    chan = np.where(c == c0_, 1.0, 0.45)
    noise = rng.normal(1.0, 0.15, (n, TICKS, CHANNELS))
    val = amp[:, None, None] * profile * chan * noise
    val = np.clip(np.round(val * 16.0) / 16.0, 5.0, 200.0)
    return np.where(mask, val, 0.0).astype(np.float32)


def make_batch(plane, batch, n):
    rng = np.random.default_rng([SEED, PLANE_ID[plane], batch])
    md = make_metadata(rng, n, plane)
    img = make_images(rng, md)
    return img, md


def file_name(plane, batch):
    return f"clusters_plane{plane}_batch{batch:04d}.npz"


def generate(out_dir, total, compressed, log=print):
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if f.endswith(".npz") or f.endswith(".tmp"):
            os.remove(os.path.join(out_dir, f))
    save = np.savez_compressed if compressed else np.savez
    counts = plane_counts(total)
    charges = []
    stats = {"clusters": 0, "U": 0, "V": 0, "X": 0, "ES": 0, "CC": 0, "marley": 0, "main_track": 0,
             "x_marley": 0}
    marley_charge = []
    files = 0
    nbytes = 0
    start = time.time()
    for plane in PLANES:
        remaining = counts[plane]
        batch = 0
        while remaining > 0:
            n = min(BATCH, remaining)
            img, md = make_batch(plane, batch, n)
            path = os.path.join(out_dir, file_name(plane, batch))
            tmp = path + ".tmp"
            with open(tmp, "wb") as fh:
                save(fh, images=img, metadata=md)
            os.replace(tmp, path)
            nbytes += os.path.getsize(path)
            q = img.sum(axis=(1, 2), dtype=np.float64)
            charges.append(q)
            marley_charge.append(md[:, 0] > 0.5)
            stats["clusters"] += n
            stats[plane] += n
            stats["ES"] += int((md[:, 11] > 0.5).sum())
            stats["CC"] += int((md[:, 11] <= 0.5).sum())
            stats["marley"] += int((md[:, 0] > 0.5).sum())
            stats["main_track"] += int((md[:, 1] > 0.5).sum())
            if plane == "X":
                stats["x_marley"] += int((md[:, 0] > 0.5).sum())
            files += 1
            remaining -= n
            batch += 1
            if files % 50 == 0:
                log(f"  {out_dir}: {files} files, {stats['clusters']} clusters, {time.time() - start:.0f} s")
    q = np.concatenate(charges)
    m = np.concatenate(marley_charge)
    # Charges are multiples of 1/16: (a median charge) + 1/32 lies strictly between two
    # of them, so no cluster sits on the cut and float32 / float64 sums agree.
    cut = float(np.partition(q, len(q) // 2)[len(q) // 2]) + 1.0 / 32.0
    passing = q >= cut
    manifest = {
        "clusters": total,
        "files": files,
        "bytes": nbytes,
        "compressed": compressed,
        "seed": SEED,
        "plane_clusters": counts,
        "statistics": stats,
        "charge_cut": cut,
        "charge_pass": int(passing.sum()),
        "charge_pass_marley": int((passing & m).sum()),
    }
    with open(os.path.join(out_dir, "charge_cut.txt"), "w") as fh:
        fh.write(repr(cut) + "\n")
    with open(os.path.join(out_dir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    with open(os.path.join(out_dir, ".complete"), "w") as fh:
        fh.write(time.strftime("%Y-%m-%dT%H:%M:%S") + "\n")
    log(f"  {out_dir}: done, {files} files, {total} clusters, {nbytes / 1e9:.2f} GB, "
        f"C = {cut}, {int(passing.sum())} pass, {time.time() - start:.0f} s")
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=default_root(), help="folder that holds the datasets")
    ap.add_argument("--only", nargs="*", choices=sorted(DATASETS), help="datasets to make (default: all)")
    ap.add_argument("--quick", metavar="DIR", help="make only a tiny 4,000-cluster, 6-file dataset in DIR")
    ap.add_argument("--force", action="store_true", help="regenerate even if .complete exists")
    args = ap.parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    if args.quick:
        if args.force or not os.path.exists(os.path.join(args.quick, ".complete")):
            generate(args.quick, 4000, False, log)
        return 0

    names = args.only or list(DATASETS)
    for name in names:
        total, compressed = DATASETS[name]
        out_dir = os.path.join(args.root, name)
        if not args.force and os.path.exists(os.path.join(out_dir, ".complete")):
            log(f"{name}: complete, skipped ({out_dir})")
            continue
        log(f"{name}: generating {total} clusters into {out_dir}")
        generate(out_dir, total, compressed, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
