"""How much faster this machine does two pieces of work at once than one after the other.

ClusterPS reads files on every processor; NumPy reads them on one. So a ratio between them
depends on how much a second processor really adds, which on a virtual machine can be far
less than 2x (two vCPUs may be two hyperthreads of one core, or share it with other guests).
This probe runs the same work in one process, then in N processes at once (N = the CPUs this
process may use), and prints JSON: the speed-up of N at once over one, for memory-bound work
(summing a 64 MB float32 array, like summing pixels read from the page cache) and for
compute-bound work (sin of an array that stays in cache). N independent cores give N.

    /usr/bin/python3 bench/machine_scaling.py
"""
import json
import multiprocessing as mp
import os
import time

import numpy as np


def _memory(reps):
    a = np.ones(16 << 20, dtype=np.float32)  # 64 MB, far beyond the caches
    t = 0.0
    for _ in range(reps):
        t += float(a.sum(dtype=np.float64))
    return t


def _compute(reps):
    a = np.linspace(0.0, 1.0, 1 << 15)  # 256 KB, stays in cache
    t = 0.0
    for _ in range(reps):
        t += float(np.sin(a).sum())
    return t


WORK = {"memory": (_memory, 40), "compute": (_compute, 3000)}


def _timed(kind, barrier, out):
    fn, reps = WORK[kind]
    fn(2)  # warm up: allocate, page in
    barrier.wait()
    start = time.perf_counter()
    fn(reps)
    out.put(time.perf_counter() - start)


def _run(kind, n):
    """Seconds until all n processes finished the same work, started together."""
    barrier = mp.Barrier(n)
    out = mp.Queue()
    procs = [mp.Process(target=_timed, args=(kind, barrier, out)) for _ in range(n)]
    for p in procs:
        p.start()
    times = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return max(times)


def main():
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    result = {"processes": n}
    for kind in WORK:
        one = min(_run(kind, 1) for _ in range(3))
        many = min(_run(kind, n) for _ in range(3))
        result[kind] = {"one_s": round(one, 4), "all_s": round(many, 4), "speedup": round(n * one / many, 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
