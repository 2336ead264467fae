#!/usr/bin/python3
"""Write the histogram test data and what np.histogram says about it.

Run from anywhere (needs NumPy):  /usr/bin/python3 tests/data/make_histogram_expected.py

Writes, deterministically:
  tests/data/histogram/clusters_planeX_batch0000.npz   30 Seed12 clusters (np.savez, stored) with
        NaN and +Inf values, unknown neutrino energies (-1), values on bin edges
  tests/data/histogram/clusters_planeU_batch0000.npz   20 Seed12 clusters (np.savez_compressed)
  tests/data/histogram-corrupt/clusters_planeV_batch0000.npz   10 clusters whose metadata is
        intact but whose images member is damaged (its CRC-32 fails): metadata histograms
        must still work, Charge must report the file's ChecksumMismatch error
  tests/data/histogram_expected.json
        "values":   raw value cases for the binning itself (edges, right-closed last bin,
                    under/overflow with a given range, empty input, a single value, NaN/Inf)
        "datasets": Get-ClusterHistogram cases over the files above and samples/ (paths
                    relative to the repository root), one expected histogram per group

The policy the expectations encode: values that are NaN or +-Inf (and unknown neutrino
energies, -1) are left out of the bins and counted as Missing; with a given range, finite
values below/above it count as Underflow/Overflow; without one, the range is the finite
values' min..max over all groups (np.histogram's own rules then: 0..1 when there are no
values, min-0.5..max+0.5 when min == max). Bins are np.histogram's over float64 values
(float32 data widened exactly). Non-finite numbers are written as the strings "NaN",
"Infinity", "-Infinity".
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "histogram_expected.json")

GROUPS = {
    "None": ["All"],
    "Marley": ["Marley", "Background"],
    "Interaction": ["ES", "CC", "Unknown"],
    "Plane": ["U", "V", "X", "Unknown"],
    "MainTrack": ["MainTrack", "Secondary"],
}
COLUMNS = {"PositionX": 2, "PositionY": 3, "PositionZ": 4, "DirectionX": 5, "DirectionY": 6, "DirectionZ": 7,
           "NuEnergy": 8, "ParticleEnergy": 9, "PlaneId": 10, "IsMarley": 0, "IsMainTrack": 1, "IsES": 11}


def num(x):
    x = float(x)
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def expected(values, bins, minimum=None, maximum=None):
    """np.histogram of the finite values, with the Missing/Underflow/Overflow policy."""
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    lo = minimum if minimum is not None else (finite.min() if finite.size else 0.0)
    hi = maximum if maximum is not None else (finite.max() if finite.size else 1.0)
    counts, edges = np.histogram(finite, bins=bins, range=(lo, hi))
    return {
        "edges": [float(e) for e in edges],
        "counts": [int(c) for c in counts],
        "underflow": int((finite < edges[0]).sum()),
        "overflow": int((finite > edges[-1]).sum()),
        "missing": int(values.size - finite.size),
    }


def seed_metadata(rng, n, plane):
    md = np.zeros((n, 12), dtype=np.float32)
    md[:, 0] = rng.integers(0, 2, n)
    md[:, 1] = rng.integers(0, 2, n)
    md[:, 2:5] = rng.uniform(-300, 300, (n, 3))
    d = rng.normal(size=(n, 3))
    md[:, 5:8] = d / np.linalg.norm(d, axis=1, keepdims=True)
    md[:, 8] = np.where(rng.random(n) < 0.3, -1.0, rng.uniform(5, 50, n))
    md[:, 9] = rng.uniform(0.5, 40, n)
    md[:, 10] = plane
    md[:, 11] = rng.integers(0, 2, n)
    return md


def sparse_images(rng, n):
    images = np.zeros((n, 128, 16), dtype=np.float32)
    for k in range(n):
        c = rng.integers(0, 16)
        t0 = rng.integers(0, 100)
        images[k, t0:t0 + 20, c] = rng.integers(1, 80, 20) / 8.0  # multiples of 1/8: exact sums
    return images


def write_files():
    rng = np.random.default_rng(12)
    folder = os.path.join(HERE, "histogram")
    os.makedirs(folder, exist_ok=True)

    md = seed_metadata(rng, 30, 2)
    md[3, 9] = np.nan           # NaN particle energy: Missing
    md[4, 2] = np.inf           # +Inf position x: Missing
    md[5, 9] = md[:, 9][np.isfinite(md[:, 9])].max() + 5  # the maximum: lands in the closed last bin
    md[6, 9] = 20.0             # a round value, on an edge for range 0..40
    md[7, 9] = 40.0             # the right edge of range 0..40
    np.savez(os.path.join(folder, "clusters_planeX_batch0000.npz"), images=sparse_images(rng, 30), metadata=md)

    md = seed_metadata(rng, 20, 0)
    np.savez_compressed(os.path.join(folder, "clusters_planeU_batch0000.npz"), images=sparse_images(rng, 20), metadata=md)

    corrupt = os.path.join(HERE, "histogram-corrupt")
    os.makedirs(corrupt, exist_ok=True)
    path = os.path.join(corrupt, "clusters_planeV_batch0000.npz")
    np.savez(path, images=sparse_images(rng, 10), metadata=seed_metadata(rng, 10, 1))
    data = bytearray(open(path, "rb").read())
    at = data.index(b"images.npy") + 200 + 40000  # well inside the images data, past its header
    data[at:at + 64] = bytes(range(64))
    open(path, "wb").write(bytes(data))


def load(paths, with_charges):
    """Per cluster: metadata rows and (when asked: np.load checks the images' CRC-32) float64 charges."""
    mds, charges = [], []
    for p in paths:
        with np.load(os.path.join(ROOT, p)) as z:
            mds.append(z["metadata"])
            if with_charges:
                charges.append(z["images"].astype(np.float64).sum((1, 2)))
    return np.concatenate(mds), np.concatenate(charges) if with_charges else None


def values_of(md, charges, prop):
    if prop == "Charge":
        return charges
    v = md[:, COLUMNS[prop]].astype(np.float64)
    if prop == "NuEnergy":
        v = np.where(v == -1.0, np.nan, v)
    return v


def groups_of(md, group_by):
    if group_by == "None":
        return np.zeros(len(md), dtype=int)
    if group_by == "Marley":
        return np.where(md[:, 0] == 1, 0, 1)
    if group_by == "MainTrack":
        return np.where(md[:, 1] == 1, 0, 1)
    if group_by == "Interaction":
        return np.where(md[:, 11] == 1, 0, 1)
    return md[:, 10].astype(int)


def dataset_case(name, paths, prop, bins=20, minimum=None, maximum=None, group_by="None"):
    md, charges = load(paths, prop == "Charge")
    v = values_of(md, charges, prop)
    g = groups_of(md, group_by)
    finite = v[np.isfinite(v)]
    lo = minimum if minimum is not None else (finite.min() if finite.size else 0.0)
    hi = maximum if maximum is not None else (finite.max() if finite.size else 1.0)
    out = []
    for i, group in enumerate(GROUPS[group_by]):
        mask = g == i
        if not mask.any():
            continue
        e = expected(v[mask], bins, lo, hi)
        e["group"] = group
        out.append(e)
    case = {"name": name, "paths": paths, "property": prop, "bins": bins, "groupBy": group_by, "histograms": out}
    if minimum is not None:
        case["minimum"] = minimum
    if maximum is not None:
        case["maximum"] = maximum
    return case


def main():
    write_files()
    rng = np.random.default_rng(7)
    normal = rng.normal(0.3, 0.7, 400).astype(np.float32).astype(np.float64)
    tenths = [0.1 * i for i in range(30)]
    # Edges where the first estimate of the bin, (x - first) * bins / (last - first), is one
    # off, so that only the correction against the edges themselves gets the bin right (found
    # by a random search); the values are the edges and their float64 neighbours.
    tricky = np.linspace(1.6432407212873557, 11.06516365890487, 41)
    tricky_values = list(np.concatenate([tricky, np.nextafter(tricky, -np.inf)[1:], np.nextafter(tricky, np.inf)[:-1]]))
    value_cases = [
        ("integers, last bin closed on the right", list(range(11)), 5, None, None),
        ("tenths, values on computed edges", tenths, 3, None, None),
        ("tenths in 7 bins", tenths, 7, None, None),
        ("given range: underflow and overflow", list(range(-5, 16)), 4, 0.0, 10.0),
        ("empty input", [], 10, None, None),
        ("a single value", [3.5], 4, None, None),
        ("values on edges that the first estimate misses", tricky_values, 40, None, None),
        ("values on edges that the first estimate misses, given range", tricky_values, 40, 1.6432407212873557, 11.06516365890487),
        ("all values equal", [2.0, 2.0, 2.0], 3, None, None),
        ("given range of zero width", [2.0, 2.0, 3.0, 1.0], 2, 2.0, 2.0),
        ("NaN and Inf are missing", [1.0, float("nan"), 2.0, float("inf"), float("-inf"), 3.0], 2, None, None),
        ("NaN with a given range", [float("nan"), -1.0, 0.5, 7.0], 2, 0.0, 1.0),
        ("float32 normal data, 37 bins", list(normal), 37, None, None),
        ("float32 normal data, given range", list(normal), 25, -1.0, 1.5),
        ("only a minimum", list(normal), 10, 0.0, None),
        ("only a maximum", list(normal), 10, None, 0.0),
    ]
    values = []
    for name, v, bins, lo, hi in value_cases:
        case = {"name": name, "values": [num(x) for x in v], "bins": bins, "expected": expected(v, bins, lo, hi)}
        if lo is not None:
            case["minimum"] = lo
        if hi is not None:
            case["maximum"] = hi
        values.append(case)

    samples = ["samples/clusters_planeU_batch0000.npz", "samples/clusters_planeV_batch0000.npz",
               "samples/clusters_planeX_batch0000.npz", "samples/clusters_planeX_batch0001.npz"]
    test = ["tests/data/histogram/clusters_planeU_batch0000.npz", "tests/data/histogram/clusters_planeX_batch0000.npz"]
    datasets = [
        dataset_case("samples: particle energy by Marley", samples, "ParticleEnergy", 20, group_by="Marley"),
        dataset_case("samples: neutrino energy, known only", samples, "NuEnergy", 12),
        dataset_case("samples: charge by plane", samples, "Charge", 15, group_by="Plane"),
        dataset_case("samples: position x in a given range by interaction", samples, "PositionX", 8, -200.0, 200.0, group_by="Interaction"),
        dataset_case("samples: direction z by main track", samples, "DirectionZ", 10, group_by="MainTrack"),
        dataset_case("samples: plane id", samples, "PlaneId", 3),
        dataset_case("test data: particle energy with NaN", test, "ParticleEnergy", 10),
        dataset_case("test data: particle energy 0..40 by Marley", test, "ParticleEnergy", 8, 0.0, 40.0, group_by="Marley"),
        dataset_case("test data: position x with +Inf", test, "PositionX", 6, group_by="Plane"),
        dataset_case("test data: charge, minimum only", test, "Charge", 5, 20.0, None),
        dataset_case("corrupt images: particle energy", ["tests/data/histogram-corrupt/clusters_planeV_batch0000.npz"], "ParticleEnergy", 4),
    ]
    with open(OUT, "w") as f:
        json.dump({"values": values, "datasets": datasets}, f)
        f.write("\n")
    print(f"wrote {OUT}: {len(values)} value cases, {len(datasets)} dataset cases")


if __name__ == "__main__":
    main()
