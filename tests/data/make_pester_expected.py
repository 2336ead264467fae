#!/usr/bin/python3
"""Write what NumPy says about samples/*.npz, for the Pester tests to compare against.

Run from anywhere (needs NumPy):  /usr/bin/python3 tests/data/make_pester_expected.py

Writes, deterministically:
  tests/data/pester_expected.json   per-file facts, dataset totals (the reference helper's
                                    numbers and report lines), Select-Cluster filter cases
                                    with NumPy's mask counts, and a few clusters in detail
                                    (metadata row, float64 charge, some pixels)
  tests/data/pester/columns13_planeX.npz
                                    a valid NumPy file whose metadata has 13 columns, which
                                    matches no built-in layout (Get-ClusterBatch must refuse
                                    it and point to -Layout)

Numbers that are float32 in the files are written as the exact double of the float32
value (Python's repr round-trips), so a test can compare them with -eq.
"""
import json
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(ROOT, "samples")
PLANES = "UVX"


def f32(x):
    """The exact double value of a float32, for JSON."""
    return float(np.float32(x))


def pct(count, total):
    return f"{(100.0 * count / total) if total else 0.0:.1f}"


def load(path):
    with np.load(path, allow_pickle=False) as z:
        return z["images"], z["metadata"]


def file_facts(path, images, metadata):
    name = os.path.basename(path)
    with zipfile.ZipFile(path) as zf:
        compressed = any(i.compress_type != zipfile.ZIP_STORED for i in zf.infolist())
    plane = name.split("_plane")[1][0]
    batch = int(name.split("_batch")[1][:4])
    return {
        "name": name,
        "plane": plane,
        "batch_number": batch,
        "count": int(metadata.shape[0]),
        "image_shape": f"{images.shape[1]}x{images.shape[2]}",
        "ticks": int(images.shape[1]),
        "channels": int(images.shape[2]),
        "length": os.path.getsize(path),
        "compressed": compressed,
    }


def totals(files, md):
    n = md.shape[0]
    plane = {p: int((md[:, 10] == i).sum()) for i, p in enumerate(PLANES)}
    es = int((md[:, 11] == 1).sum())
    cc = int((md[:, 11] == 0).sum())
    marley = int((md[:, 0] == 1).sum())
    main = int((md[:, 1] == 1).sum())
    known = md[:, 8] != -1
    out = {
        "batches": len(files),
        "clusters": int(n),
        "bytes": sum(f["length"] for f in files),
        "plane": plane,
        "plane_percent": {p: pct(c, n) for p, c in plane.items()},
        "es": es, "es_percent": pct(es, n),
        "cc": cc, "cc_percent": pct(cc, n),
        "marley": marley, "marley_percent": pct(marley, n),
        "main_track": main, "main_track_percent": pct(main, n),
        "particle_energy_min": f32(md[:, 9].min()),
        "particle_energy_max": f32(md[:, 9].max()),
        "nu_energy_min": f32(md[known, 8].min()),
        "nu_energy_max": f32(md[known, 8].max()),
        "nu_energy_unknown": int((~known).sum()),
    }
    # The reference helper's report, without its Directory/File and Total size lines.
    out["report_lines"] = [
        "Dataset Statistics:",
        f"  Total batches: {out['batches']}",
        f"  Total clusters: {n}",
        "  Plane distribution:",
        *[f"    {p}: {plane[p]} ({pct(plane[p], n)}%)" for p in PLANES],
        "  Interaction types:",
        f"    ES: {es} ({pct(es, n)}%)",
        f"    CC: {cc} ({pct(cc, n)}%)",
        f"  Marley clusters: {marley} ({pct(marley, n)}%)",
        f"  Main track clusters: {main} ({pct(main, n)}%)",
    ]
    return out


def filter_cases(md, charge):
    """Select-Cluster parameter sets (for splatting) and the count NumPy's masks give."""
    marley = md[:, 0] == 1
    main = md[:, 1] == 1
    nu = md[:, 8].astype(np.float64)
    e = md[:, 9].astype(np.float64)
    plane = md[:, 10]
    es = md[:, 11] == 1
    known = md[:, 8] != -1

    # Bounds that equal a stored float32 exactly, to prove inclusiveness.
    e_mid = float(np.sort(md[:, 9])[len(e) // 2])
    nu_mid = float(np.sort(md[known, 8])[known.sum() // 2])
    # A charge threshold in the middle of a wide gap between two clusters' charges, so
    # that summation order (NumPy's pairwise vs. any other) cannot change the count.
    sc = np.sort(charge)
    k = int(np.argmax(np.diff(sc[len(sc) // 2: len(sc) * 3 // 4]))) + len(sc) // 2
    q_mid = float(round((sc[k] + sc[k + 1]) / 2, 3))
    assert sc[k] < q_mid < sc[k + 1] and sc[k + 1] - sc[k] > 0.01

    def case(name, args, mask):
        return {"name": name, "args": args, "count": int(mask.sum())}

    cases = [
        case("-Marley", {"Marley": True}, marley),
        case("-Marley:$false", {"Marley": False}, ~marley),
        case("-MainTrack", {"MainTrack": True}, main),
        case("-MainTrack:$false", {"MainTrack": False}, ~main),
        case("-Interaction ES", {"Interaction": "ES"}, es),
        case("-Interaction CC", {"Interaction": "CC"}, ~es),
        case("-Interaction cc (any case)", {"Interaction": "cc"}, ~es),
        case("-Plane U", {"Plane": ["U"]}, plane == 0),
        case("-Plane U,V", {"Plane": ["U", "V"]}, (plane == 0) | (plane == 1)),
        case("-Plane X", {"Plane": ["X"]}, plane == 2),
        case(f"-MinEnergy {e_mid} (a stored value, inclusive)", {"MinEnergy": e_mid}, e >= e_mid),
        case(f"-MaxEnergy {e_mid} (a stored value, inclusive)", {"MaxEnergy": e_mid}, e <= e_mid),
        case(f"-MinEnergy {e_mid} -MaxEnergy {e_mid}", {"MinEnergy": e_mid, "MaxEnergy": e_mid}, e == e_mid),
        case("-MinEnergy 2 -MaxEnergy 10", {"MinEnergy": 2.0, "MaxEnergy": 10.0}, (e >= 2) & (e <= 10)),
        case("-MinEnergy 1000 (nothing)", {"MinEnergy": 1000.0}, e >= 1000),
        case("-MinNuEnergy -5 (unknown -1 never matches)", {"MinNuEnergy": -5.0}, known & (nu >= -5)),
        case("-MaxNuEnergy 100 (unknown -1 never matches)", {"MaxNuEnergy": 100.0}, known & (nu <= 100)),
        case("-MinNuEnergy 10 -MaxNuEnergy 30", {"MinNuEnergy": 10.0, "MaxNuEnergy": 30.0}, known & (nu >= 10) & (nu <= 30)),
        case(f"-MinNuEnergy {nu_mid} -MaxNuEnergy {nu_mid}", {"MinNuEnergy": nu_mid, "MaxNuEnergy": nu_mid}, known & (nu == nu_mid)),
        case("-MinCharge 0", {"MinCharge": 0.0}, charge >= 0),
        case(f"-MinCharge {q_mid}", {"MinCharge": q_mid}, charge >= q_mid),
        case("-Marley -Interaction ES", {"Marley": True, "Interaction": "ES"}, marley & es),
        case("-Marley -Interaction CC", {"Marley": True, "Interaction": "CC"}, marley & ~es),
        case("-Marley:$false -Plane X", {"Marley": False, "Plane": ["X"]}, ~marley & (plane == 2)),
        case("-MainTrack -Interaction CC -Plane U,V", {"MainTrack": True, "Interaction": "CC", "Plane": ["U", "V"]},
             main & ~es & ((plane == 0) | (plane == 1))),
        case("-Interaction ES -MinEnergy 2 -MaxEnergy 10", {"Interaction": "ES", "MinEnergy": 2.0, "MaxEnergy": 10.0},
             es & (e >= 2) & (e <= 10)),
        case("-Marley -MinNuEnergy 10", {"Marley": True, "MinNuEnergy": 10.0}, marley & known & (nu >= 10)),
        case(f"-Marley -MinCharge {q_mid}", {"Marley": True, "MinCharge": q_mid}, marley & (charge >= q_mid)),
        case(f"-MainTrack:$false -Plane X -MinCharge {q_mid}", {"MainTrack": False, "Plane": ["X"], "MinCharge": q_mid},
             ~main & (plane == 2) & (charge >= q_mid)),
    ]
    assert all(c["count"] > 0 for c in cases if "nothing" not in c["name"]), cases
    assert any(c["count"] > 0 for c in cases if "-MinEnergy" in c["name"] and "-MaxEnergy" in c["name"])
    return cases


def cluster_detail(name, index, images, metadata):
    img = images[index]
    row = metadata[index]
    nz = np.argwhere(img != 0)
    picks = [tuple(nz[0]), tuple(nz[len(nz) // 2]), tuple(nz[-1]),
             tuple(np.unravel_index(np.argmax(img), img.shape))]
    zero = np.argwhere(img == 0)[0]
    picks.append(tuple(zero))
    return {
        "file": name,
        "index": index,
        "metadata": [f32(v) for v in row],
        "nu_energy_known": bool(row[8] != -1),
        "charge": float(img.astype(np.float64).sum()),
        "pixels": [[int(t), int(c), f32(img[t, c])] for t, c in picks],
    }


def make_13_columns(path):
    rng = np.random.default_rng(13)
    n = 3
    md = np.zeros((n, 13), dtype=np.float32)
    md[:, 0] = [1, 0, 0]
    md[:, 1] = [1, 0, 1]
    md[:, 2:5] = rng.uniform(-100, 100, (n, 3))
    d = rng.normal(size=(n, 3))
    md[:, 5:8] = d / np.linalg.norm(d, axis=1, keepdims=True)
    md[:, 8] = [12.5, -1, 30.25]
    md[:, 9] = [8.5, 1.25, 3.0]
    md[:, 10] = 2
    md[:, 11] = [1, 0, 1]
    md[:, 12] = [7, 8, 9]  # an extra column from some later generation
    images = np.zeros((n, 128, 16), dtype=np.float32)
    images[:, 60, 8] = [10.5, 20.25, 30.0]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path, images=images, metadata=md)
    with np.load(path) as z:
        assert z["metadata"].shape == (n, 13)


def main():
    paths = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES) if f.endswith(".npz"))
    files, all_md, all_charge, loaded = [], [], [], {}
    for p in paths:
        images, metadata = load(p)
        loaded[os.path.basename(p)] = (images, metadata)
        files.append(file_facts(p, images, metadata))
        all_md.append(metadata)
        all_charge.append(images.astype(np.float64).sum((1, 2)))
    # Plane then batch order, as a directory is read.
    files.sort(key=lambda f: (PLANES.index(f["plane"]), f["batch_number"]))
    md = np.concatenate(all_md)
    charge = np.concatenate(all_charge)

    per_file_totals = {f["name"]: totals([f], loaded[f["name"]][1]) for f in files}

    # Clusters looked at in detail: a Marley main track, one with unknown neutrino energy in
    # the compressed file, and a CC one.
    u_img, u_md = loaded["clusters_planeU_batch0000.npz"]
    x1_img, x1_md = loaded["clusters_planeX_batch0001.npz"]
    v_img, v_md = loaded["clusters_planeV_batch0000.npz"]
    unknown_nu = int(np.argwhere(x1_md[:, 8] == -1)[0][0])
    cc = int(np.argwhere(v_md[:, 11] == 0)[0][0])
    details = [
        cluster_detail("clusters_planeU_batch0000.npz", 0, u_img, u_md),
        cluster_detail("clusters_planeX_batch0001.npz", unknown_nu, x1_img, x1_md),
        cluster_detail("clusters_planeV_batch0000.npz", cc, v_img, v_md),
    ]
    assert details[0]["metadata"][0] == 1 and details[0]["metadata"][1] == 1
    assert not details[1]["nu_energy_known"] and details[2]["metadata"][11] == 0

    out = {
        "comment": "Written by tests/data/make_pester_expected.py from samples/*.npz with NumPy; do not edit.",
        "numpy": np.__version__,
        "files": files,
        "totals": totals(files, md),
        "file_totals": per_file_totals,
        "filters": filter_cases(md, charge),
        "clusters": details,
    }
    target = os.path.join(HERE, "pester_expected.json")
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print(f"wrote {target}")

    extra = os.path.join(HERE, "pester", "columns13_planeX.npz")
    make_13_columns(extra)
    print(f"wrote {extra}")


if __name__ == "__main__":
    main()
