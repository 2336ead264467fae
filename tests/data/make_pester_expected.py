#!/usr/bin/python3
"""Write what NumPy says about samples/*.npz that tests/data/samples_expected.json does not
already hold, for the Pester tests to compare against.

Run from anywhere (needs NumPy):  /usr/bin/python3 tests/data/make_pester_expected.py

samples_expected.json (make_samples_expected.py) has the per-file and total statistics,
report texts, charges and the common filter selections; this script adds, deterministically:
  tests/data/pester_expected.json   more Select-Cluster filter cases (parameters named as
                                    the cmdlet's, for splatting; the selected indices per
                                    file) and a few clusters in detail (metadata row, float64
                                    charge, some pixels)
  tests/data/pester/columns13_planeX.npz
                                    a valid NumPy file whose metadata has 13 columns, which
                                    matches no built-in layout (the commands must refuse it
                                    and point to -Layout)

Numbers that are float32 in the files are written as the exact double of the float32
value (Python's repr round-trips), so a test can compare them with -eq.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "samples"))
OUT = os.path.join(HERE, "pester_expected.json")


def f32(x):
    """The exact double value of a float32, for JSON."""
    return float(np.float32(x))


def filter_cases(names, mds, charges):
    """Select-Cluster parameter sets (for splatting) not in samples_expected.json, with what
    NumPy's boolean masks select: the count and the row indices per file."""
    md = np.concatenate(mds)
    e = md[:, 9]
    known = md[:, 8] != -1
    # Bounds equal to a stored float32, so that both ends are shown to be inclusive.
    e_mid = f32(np.sort(e)[len(e) // 2])
    nu_mid = f32(np.sort(md[known, 8])[known.sum() // 2])
    # A charge threshold in the middle of a wide gap between two clusters' charges.
    sc = np.sort(np.concatenate(charges))
    lo, hi = len(sc) // 2, len(sc) * 3 // 4
    k = int(np.argmax(np.diff(sc[lo:hi]))) + lo
    q_mid = float(round((sc[k] + sc[k + 1]) / 2, 3))
    assert sc[k] < q_mid < sc[k + 1] and sc[k + 1] - sc[k] > 0.01

    def marley(m, q): return m[:, 0] == 1
    def main(m, q): return m[:, 1] == 1
    def es(m, q): return m[:, 11] == 1
    def plane(*ids): return lambda m, q: np.isin(m[:, 10], ids)
    def known_nu(m, q): return m[:, 8] != -1

    specs = [
        ("-Interaction cc (any case)", {"Interaction": "cc"}, lambda m, q: ~es(m, q)),
        ("-Plane U,V", {"Plane": ["U", "V"]}, plane(0, 1)),
        ("-Plane x (any case)", {"Plane": ["x"]}, plane(2)),
        (f"-MinEnergy {e_mid} -MaxEnergy {e_mid} (one stored value)", {"MinEnergy": e_mid, "MaxEnergy": e_mid},
         lambda m, q: m[:, 9] == e_mid),
        ("-MinEnergy 1000 (nothing)", {"MinEnergy": 1000.0}, lambda m, q: m[:, 9] >= 1000),
        ("-MaxNuEnergy 1000 (unknown -1 never matches)", {"MaxNuEnergy": 1000.0}, known_nu),
        (f"-MinNuEnergy {nu_mid} -MaxNuEnergy {nu_mid} (one stored value)", {"MinNuEnergy": nu_mid, "MaxNuEnergy": nu_mid},
         lambda m, q: known_nu(m, q) & (m[:, 8] == nu_mid)),
        (f"-MinCharge {q_mid}", {"MinCharge": q_mid}, lambda m, q: q >= q_mid),
        ("-Marley:$false -Plane X", {"Marley": False, "Plane": ["X"]}, lambda m, q: ~marley(m, q) & plane(2)(m, q)),
        ("-MainTrack -Interaction CC -Plane U,V", {"MainTrack": True, "Interaction": "CC", "Plane": ["U", "V"]},
         lambda m, q: main(m, q) & ~es(m, q) & plane(0, 1)(m, q)),
        ("-MainTrack:$false -Interaction ES -MinEnergy 2 -MaxEnergy 10",
         {"MainTrack": False, "Interaction": "ES", "MinEnergy": 2.0, "MaxEnergy": 10.0},
         lambda m, q: ~main(m, q) & es(m, q) & (m[:, 9] >= 2) & (m[:, 9] <= 10)),
        ("-Marley -MinNuEnergy 10 -MaxEnergy 20", {"Marley": True, "MinNuEnergy": 10.0, "MaxEnergy": 20.0},
         lambda m, q: marley(m, q) & known_nu(m, q) & (m[:, 8] >= 10) & (m[:, 9] <= 20)),
        (f"-MainTrack:$false -Plane X -MinCharge {q_mid}", {"MainTrack": False, "Plane": ["X"], "MinCharge": q_mid},
         lambda m, q: ~main(m, q) & plane(2)(m, q) & (q >= q_mid)),
    ]
    cases = []
    for name, args, mask in specs:
        selected = {n: [int(i) for i in np.nonzero(mask(m, q))[0]] for n, m, q in zip(names, mds, charges)}
        count = sum(len(v) for v in selected.values())
        assert count > 0 or "nothing" in name, name
        cases.append({"name": name, "args": args, "count": count, "selected": selected})
    return cases


def cluster_detail(name, index, images, metadata):
    img = images[index]
    nz = np.argwhere(img != 0)
    picks = [tuple(nz[0]), tuple(nz[len(nz) // 2]), tuple(nz[-1]),
             tuple(np.unravel_index(np.argmax(img), img.shape)), tuple(np.argwhere(img == 0)[0])]
    return {
        "file": name,
        "index": index,
        "metadata": [f32(v) for v in metadata[index]],
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
    names = sorted(f for f in os.listdir(SAMPLES) if f.startswith("clusters_plane") and f.endswith(".npz"))
    loaded = {}
    for n in names:
        with np.load(os.path.join(SAMPLES, n), allow_pickle=False) as z:
            loaded[n] = (z["images"], z["metadata"])
    mds = [loaded[n][1] for n in names]
    charges = [loaded[n][0].astype(np.float64).sum((1, 2)) for n in names]

    # Clusters looked at in detail: a Marley main track, one with unknown neutrino energy in
    # the compressed file, and a CC one.
    u_img, u_md = loaded["clusters_planeU_batch0000.npz"]
    x1_img, x1_md = loaded["clusters_planeX_batch0001.npz"]
    v_img, v_md = loaded["clusters_planeV_batch0000.npz"]
    details = [
        cluster_detail("clusters_planeU_batch0000.npz", 0, u_img, u_md),
        cluster_detail("clusters_planeX_batch0001.npz", int(np.argwhere(x1_md[:, 8] == -1)[0][0]), x1_img, x1_md),
        cluster_detail("clusters_planeV_batch0000.npz", int(np.argwhere(v_md[:, 11] == 0)[0][0]), v_img, v_md),
    ]
    assert details[0]["metadata"][0] == 1 and details[0]["metadata"][1] == 1
    assert details[1]["metadata"][8] == -1 and details[2]["metadata"][11] == 0

    doc = {
        "generated_by": f"tests/data/make_pester_expected.py (NumPy {np.__version__}); do not edit",
        "filters": filter_cases(names, mds, charges),
        "clusters": details,
    }
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {OUT}: {len(doc['filters'])} filters, {len(details)} clusters")

    extra = os.path.join(HERE, "pester", "columns13_planeX.npz")
    make_13_columns(extra)
    print(f"wrote {extra}")


if __name__ == "__main__":
    main()
