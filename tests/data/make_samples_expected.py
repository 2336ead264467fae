#!/usr/bin/python3
"""Precompute, with NumPy, what ClusterPS must report for the shipped sample dataset.

Run from anywhere:  /usr/bin/python3 tests/data/make_samples_expected.py

Writes tests/data/samples_expected.json, which the xUnit tests (StatisticsTests,
SelectorTests) compare against; the tests themselves never need Python.

Contents:
  files    per sample file: name, bytes, the statistics numbers, the per-cluster charges
           (images.astype(float64).sum((1, 2)); exact, the pixels are one-decimal float32
           values whose sums need far fewer than 53 bits) and the report text.
  total    the same numbers over the whole directory, and its report text.
  filters  boolean-mask selections as training code writes them: each with the filter's
           settings (named like ClusterFilter's properties) and the selected row indices
           per file.

Report text follows the reference helper (SPEC section 1); "{source}" stands for the
directory or file path, which depends on where the tests run.
"""
import glob
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "samples"))
OUT = os.path.join(HERE, "samples_expected.json")

PLANES = "UVX"


def pct(count, total):
    return f"{(100.0 * count / total if total else 0.0):.1f}"


def stats(metadata, size, batches):
    n = int(metadata.shape[0])
    plane = metadata[:, 10]
    nu = metadata[:, 8]
    known = nu != -1.0
    s = {
        "batches": batches,
        "clusters": n,
        "bytes": int(size),
        "plane_u": int((plane == 0).sum()),
        "plane_v": int((plane == 1).sum()),
        "plane_x": int((plane == 2).sum()),
        "es": int((metadata[:, 11] == 1).sum()),
        "cc": int((metadata[:, 11] == 0).sum()),
        "marley": int((metadata[:, 0] == 1).sum()),
        "main_track": int((metadata[:, 1] == 1).sum()),
        "nu_unknown": int((~known).sum()),
        "particle_energy_min": float(metadata[:, 9].min()) if n else None,
        "particle_energy_max": float(metadata[:, 9].max()) if n else None,
        "nu_energy_min": float(nu[known].min()) if known.any() else None,
        "nu_energy_max": float(nu[known].max()) if known.any() else None,
    }
    for key in ("plane_u", "plane_v", "plane_x", "es", "cc", "marley", "main_track"):
        s[key + "_percent"] = pct(s[key], n)
    return s


def report(s, kind):
    """The reference helper's printout."""
    n = s["clusters"]
    lines = [
        "Dataset Statistics:",
        f"  {kind}: {{source}}",
        f"  Total batches: {s['batches']}",
        f"  Total clusters: {n}",
        f"  Total size: {s['bytes'] / 1e6:.2f} MB",
        "",
        "  Plane distribution:",
        f"    U: {s['plane_u']} ({pct(s['plane_u'], n)}%)",
        f"    V: {s['plane_v']} ({pct(s['plane_v'], n)}%)",
        f"    X: {s['plane_x']} ({pct(s['plane_x'], n)}%)",
        "",
        "  Interaction types:",
        f"    ES: {s['es']} ({pct(s['es'], n)}%)",
        f"    CC: {s['cc']} ({pct(s['cc'], n)}%)",
        "",
        f"  Marley clusters: {s['marley']} ({pct(s['marley'], n)}%)",
        f"  Main track clusters: {s['main_track']} ({pct(s['main_track'], n)}%)",
    ]
    return "\n".join(lines)


def main():
    paths = sorted(glob.glob(os.path.join(SAMPLES, "clusters_plane*_batch*.npz")))
    assert paths, "no sample files found"
    loaded = []
    for p in paths:
        with np.load(p) as z:
            loaded.append((os.path.basename(p), os.path.getsize(p), z["metadata"], z["images"]))

    files = []
    for name, size, md, im in loaded:
        s = stats(md, size, 1)
        charge = im.astype(np.float64).sum((1, 2))
        files.append({
            "file": name,
            "stats": s,
            "report": report(s, "File"),
            "charge": [float(c) for c in charge],
        })

    all_md = np.concatenate([md for _, _, md, _ in loaded])
    total_size = sum(size for _, size, _, _ in loaded)
    total = stats(all_md, total_size, len(loaded))

    # Bounds taken from the data so that inclusiveness is tested at an exact value.
    all_charge = np.concatenate([im.astype(np.float64).sum((1, 2)) for _, _, _, im in loaded])
    energies = np.sort(all_md[:, 9])
    known_nu = np.sort(all_md[:, 8][all_md[:, 8] != -1.0])
    e_lo, e_hi = float(energies[len(energies) // 4]), float(energies[3 * len(energies) // 4])
    nu_lo, nu_hi = float(known_nu[len(known_nu) // 3]), float(known_nu[2 * len(known_nu) // 3])
    median_charge = float(np.sort(all_charge)[len(all_charge) // 2])

    def plane_of(md):
        return md[:, 10]

    filters = [
        ("Marley", {"Marley": True}, lambda md, ch: md[:, 0] == 1),
        ("NotMarley", {"Marley": False}, lambda md, ch: md[:, 0] == 0),
        ("MainTrack", {"MainTrack": True}, lambda md, ch: md[:, 1] == 1),
        ("NotMainTrack", {"MainTrack": False}, lambda md, ch: md[:, 1] == 0),
        ("ES", {"Interaction": "ES"}, lambda md, ch: md[:, 11] == 1),
        ("CC", {"Interaction": "CC"}, lambda md, ch: md[:, 11] == 0),
        ("MarleyES", {"Marley": True, "Interaction": "ES"}, lambda md, ch: (md[:, 0] == 1) & (md[:, 11] == 1)),
        ("MarleyCC", {"Marley": True, "Interaction": "CC"}, lambda md, ch: (md[:, 0] == 1) & (md[:, 11] == 0)),
        ("PlaneU", {"Planes": ["U"]}, lambda md, ch: plane_of(md) == 0),
        ("PlaneVX", {"Planes": ["V", "X"]}, lambda md, ch: (plane_of(md) == 1) | (plane_of(md) == 2)),
        ("PlaneXMarley", {"Planes": ["X"], "Marley": True}, lambda md, ch: (plane_of(md) == 2) & (md[:, 0] == 1)),
        ("EnergyRange", {"MinEnergy": e_lo, "MaxEnergy": e_hi},
         lambda md, ch: (md[:, 9] >= e_lo) & (md[:, 9] <= e_hi)),
        ("MinEnergyOnly", {"MinEnergy": e_hi}, lambda md, ch: md[:, 9] >= e_hi),
        ("MaxEnergyOnly", {"MaxEnergy": e_lo}, lambda md, ch: md[:, 9] <= e_lo),
        ("NuEnergyRange", {"MinNuEnergy": nu_lo, "MaxNuEnergy": nu_hi},
         lambda md, ch: (md[:, 8] != -1) & (md[:, 8] >= nu_lo) & (md[:, 8] <= nu_hi)),
        # A lower bound below -1 must still not match the unknown (-1) neutrino energies.
        ("NuEnergyAnyKnown", {"MinNuEnergy": -1000.0}, lambda md, ch: md[:, 8] != -1),
        ("NuEnergyMaxOnly", {"MaxNuEnergy": nu_lo}, lambda md, ch: (md[:, 8] != -1) & (md[:, 8] <= nu_lo)),
        ("MinChargeMedian", {"MinCharge": median_charge}, lambda md, ch: ch >= median_charge),
        ("MinChargeZero", {"MinCharge": 0.0}, lambda md, ch: ch >= 0.0),
        ("MinChargeMarleyES", {"MinCharge": median_charge, "Marley": True, "Interaction": "ES"},
         lambda md, ch: (ch >= median_charge) & (md[:, 0] == 1) & (md[:, 11] == 1)),
        ("Nothing", {}, lambda md, ch: np.ones(len(md), dtype=bool)),
    ]

    out_filters = []
    for name, settings, mask in filters:
        selected = {}
        count = 0
        for fname, _, md, im in loaded:
            ch = im.astype(np.float64).sum((1, 2))
            idx = np.nonzero(mask(md, ch))[0]
            selected[fname] = [int(i) for i in idx]
            count += len(idx)
        out_filters.append({"name": name, "filter": settings, "count": count, "selected": selected})

    doc = {
        "generated_by": "tests/data/make_samples_expected.py (NumPy " + np.__version__ + ")",
        "files": files,
        "total": {"stats": total, "report": report(total, "Directory")},
        "filters": out_filters,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(files)} files, {total['clusters']} clusters, {len(out_filters)} filters")


if __name__ == "__main__":
    main()
