#!/usr/bin/python3
"""The NumPy side of the ClusterPS benchmark (SPEC section 7, bench/README.md).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/numpy_bench.py DIR
        [--runs K] [--charge-cut C] [--workloads statistics,charge,extraction]
        [--load-dataset] [--peaks] [--out OUTDIR]

In ONE process, for the batch files of DIR: one warm-up run of each workload, then the best
of K timed runs (default 5), written the way a NumPy user would write them:

  statistics   per file np.load(f)['metadata'], vectorised counts of clusters, planes,
               ES/CC, Marley and main track
  charge       per file load images, images.sum((1, 2)) >= C, count passing and Marley
               among passing (C from --charge-cut or DIR/charge_cut.txt)
  extraction   per X-plane file: load, mask Marley, collect, write np.savez batches of
               <= 1000 per plane into a temporary OUT dir; count clusters written

Memory (bytes of peak resident set: VmHWM on Linux, see maxrss_bytes; ru_maxrss elsewhere):
  --load-dataset  the reference helper's load_dataset (concatenate every batch's metadata
                  and images) in a child process; it needs the whole dataset in memory, so
                  only ask for it on the 200k dataset
  --peaks         each timed workload run once (after a warm-up) in its own child process,
                  so the peak belongs to that workload alone

--verify DIR2 instead checks a folder that another side exported: loads every batch with
NumPy and prints its counts (clusters, Marley, X plane, files, largest batch).

Prints one JSON object on stdout.
"""
import argparse
import glob
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

NAME = re.compile(r"clusters_plane([UVX])_batch(\d+)\.npz$")
PLANE_ORDER = {"U": 0, "V": 1, "X": 2}


def batch_files(directory, plane=None):
    def key(path):
        m = NAME.search(os.path.basename(path))
        return (PLANE_ORDER[m.group(1)], int(m.group(2))) if m else (9, 0)

    files = sorted(glob.glob(os.path.join(directory, "*.npz")), key=key)
    if plane is not None:
        files = [f for f in files if f"_plane{plane}_" in os.path.basename(f)]
    return files


def statistics(files):
    clusters = u = v = x = es = cc = marley = main = 0
    for f in files:
        m = np.load(f)["metadata"]
        clusters += len(m)
        plane = m[:, 10]
        u += int(np.count_nonzero(plane == 0))
        v += int(np.count_nonzero(plane == 1))
        x += int(np.count_nonzero(plane == 2))
        n_es = int(np.count_nonzero(m[:, 11] == 1))
        es += n_es
        cc += len(m) - n_es
        marley += int(np.count_nonzero(m[:, 0] == 1))
        main += int(np.count_nonzero(m[:, 1] == 1))
    return {"clusters": clusters, "U": u, "V": v, "X": x, "ES": es, "CC": cc,
            "marley": marley, "main_track": main}


def charge(files, cut):
    clusters = passing = passing_marley = 0
    for f in files:
        with np.load(f) as z:
            images = z["images"]
            m = z["metadata"]
        clusters += len(images)
        ok = images.sum((1, 2)) >= cut
        passing += int(np.count_nonzero(ok))
        passing_marley += int(np.count_nonzero(ok & (m[:, 0] == 1)))
    return {"clusters": clusters, "pass": passing, "pass_marley": passing_marley}


def extraction(files, out_dir, batch_size=1000):
    """Marley clusters of the X-plane files, re-batched into out_dir with np.savez."""
    for old in glob.glob(os.path.join(out_dir, "*.npz")):
        os.remove(old)
    written = 0
    batch = 0
    pend_img, pend_md, pending = [], [], 0

    def flush(img_parts, md_parts):
        nonlocal batch, written
        images = np.concatenate(img_parts)
        metadata = np.concatenate(md_parts)
        np.savez(os.path.join(out_dir, f"clusters_planeX_batch{batch:04d}.npz"),
                 images=images, metadata=metadata)
        batch += 1
        written += len(metadata)

    for f in files:
        with np.load(f) as z:
            m = z["metadata"]
            mask = m[:, 0] == 1
            images = z["images"][mask]
        m = m[mask]
        start = 0
        while start < len(m):
            take = min(batch_size - pending, len(m) - start)
            pend_img.append(images[start:start + take])
            pend_md.append(m[start:start + take])
            pending += take
            start += take
            if pending == batch_size:
                flush(pend_img, pend_md)
                pend_img, pend_md, pending = [], [], 0
    if pending:
        flush(pend_img, pend_md)
    return {"clusters": written, "files": batch}


def load_dataset(directory):
    """The reference helper's load_dataset: every batch concatenated."""
    images, metadata = [], []
    for f in batch_files(directory):
        with np.load(f) as z:
            images.append(z["images"])
            metadata.append(z["metadata"])
    return np.concatenate(images), np.concatenate(metadata)


def maxrss_bytes():
    """Peak resident set of this process, in bytes.

    On Linux this is VmHWM from /proc/self/status: getrusage's ru_maxrss survives execve
    (the kernel folds the pre-exec address space's high-water mark into it), so a child
    started by subprocess (vfork + exec) would report at least its parent's peak. VmHWM
    belongs to the address space, which exec replaces. Elsewhere: ru_maxrss.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def measure(work, runs):
    counts = work()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        counts = work()
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "times": times, "counts": counts}


def run_workload(name, directory, cut, out_dir):
    if name == "statistics":
        files = batch_files(directory)
        return lambda: statistics(files)
    if name == "charge":
        files = batch_files(directory)
        return lambda: charge(files, cut)
    if name == "extraction":
        files = batch_files(directory, "X")
        return lambda: extraction(files, out_dir)
    raise ValueError(name)


def child(args):
    """One workload (or load_dataset) in this fresh process; prints its peak RSS."""
    t0 = time.perf_counter()
    if args.child == "load_dataset":
        images, metadata = load_dataset(args.directory)
        info = {"clusters": int(len(metadata)), "bytes": int(images.nbytes + metadata.nbytes)}
    else:
        work = run_workload(args.child, args.directory, args.cut, args.out)
        work()
        info = work()
    info["seconds"] = time.perf_counter() - t0
    info["peak_rss_bytes"] = maxrss_bytes()
    print(json.dumps(info))


def verify(directory):
    files = batch_files(directory)
    clusters = marley = xplane = largest = 0
    shapes = set()
    for f in files:
        with np.load(f) as z:
            m = z["metadata"]
            images = z["images"]
        if len(images) != len(m):
            raise SystemExit(f"{f}: {len(images)} images but {len(m)} metadata rows")
        shapes.add(tuple(images.shape[1:]))
        clusters += len(m)
        marley += int(np.count_nonzero(m[:, 0] == 1))
        xplane += int(np.count_nonzero(m[:, 10] == 2))
        largest = max(largest, len(m))
    return {"files": len(files), "clusters": clusters, "marley": marley, "X": xplane,
            "largest_batch": largest, "image_shapes": sorted(shapes)}


def spawn(name, args, out_dir):
    cmd = [sys.executable, os.path.abspath(__file__), args.directory, "--child", name,
           "--charge-cut", repr(args.cut), "--out", out_dir]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return {"error": (res.stderr or res.stdout).strip()[-2000:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--charge-cut", dest="cut", type=float)
    ap.add_argument("--workloads", default="statistics,charge,extraction")
    ap.add_argument("--load-dataset", action="store_true")
    ap.add_argument("--peaks", action="store_true")
    ap.add_argument("--out", help="extraction output folder (default: a temporary folder, removed)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--verify", action="store_true", help="check an exported folder instead")
    args = ap.parse_args(argv)

    if args.verify:
        print(json.dumps(verify(args.directory)))
        return 0

    if args.cut is None and (args.child or "charge" in args.workloads):
        with open(os.path.join(args.directory, "charge_cut.txt")) as fh:
            args.cut = float(fh.read().strip())

    if args.child:
        child(args)
        return 0

    own_out = args.out is None
    out_dir = args.out or tempfile.mkdtemp(prefix="clusterps-bench-numpy-")
    os.makedirs(out_dir, exist_ok=True)
    result = {
        "side": "NumPy",
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "dataset": os.path.abspath(args.directory),
        "files": len(batch_files(args.directory)),
        "runs": args.runs,
        "charge_cut": args.cut,
    }
    try:
        workloads = [w for w in args.workloads.split(",") if w]
        for name in workloads:
            result[name] = measure(run_workload(name, args.directory, args.cut, out_dir), args.runs)
        result["peak_rss_bytes_timing_process"] = maxrss_bytes()
        if args.peaks:
            result["peaks"] = {name: spawn(name, args, out_dir) for name in workloads}
        if args.load_dataset:
            result["load_dataset"] = spawn("load_dataset", args, out_dir)
    finally:
        if own_out:
            shutil.rmtree(out_dir, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
