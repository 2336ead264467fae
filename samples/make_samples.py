#!/usr/bin/python3
"""Generate the small sample dataset in samples/ with NumPy itself.

Run from anywhere:  /usr/bin/python3 samples/make_samples.py

The output is deterministic: a fixed seed drives every random draw, and NumPy's
np.savez / np.savez_compressed (through Python's zipfile) stamp every member with the
fixed DOS date 1980-01-01, so re-running the script reproduces the same bytes
(given the same zlib for the compressed file).

Layout (SPEC section 1, Seed12): `images` float32 N x 128 x 16 (time tick x channel,
C order) and `metadata` float32 N x 12:
   0 is_marley  1 is_main_track  2-4 true_pos x,y,z (cm)  5-7 true_dir x,y,z (unit)
   8 true_nu_energy (MeV, -1 = unknown)  9 true_particle_energy (MeV)
  10 plane_id (0=U, 1=V, 2=X)  11 is_es_interaction (1=ES, 0=CC)
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TICKS, CHANNELS = 128, 16
PLANE_ID = {"U": 0, "V": 1, "X": 2}
SEED = 20240611

# (plane, batch number, cluster count, compressed?)
FILES = [
    ("U", 0, 40, False),
    ("V", 0, 60, False),
    ("X", 0, 200, False),
    ("X", 1, 150, True),
]


def make_metadata(rng, n, plane):
    """N x 12 float32 metadata rows for one plane."""
    md = np.zeros((n, 12), dtype=np.float64)
    is_marley = rng.random(n) < 0.20
    # Marley clusters are more often the main track than background fragments.
    is_main = np.where(is_marley, rng.random(n) < 0.50, rng.random(n) < 0.08)

    pos = np.column_stack([
        rng.uniform(-350.0, 350.0, n),
        rng.uniform(-600.0, 600.0, n),
        rng.uniform(0.0, 1400.0, n),
    ])
    direction = rng.normal(size=(n, 3))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)

    # Neutrino energy is unknown (-1) for about a quarter of the clusters.
    nu_known = rng.random(n) >= 0.25
    nu_energy = np.where(nu_known, rng.uniform(5.0, 50.0, n), -1.0)

    # Particle energy: Marley electrons carry a good part of the neutrino energy,
    # background / fragments are soft.
    frac = rng.uniform(0.3, 0.9, n)
    marley_e = np.where(nu_known, nu_energy * frac, rng.uniform(2.0, 40.0, n))
    particle_e = np.where(is_marley, marley_e, rng.uniform(0.5, 8.0, n))
    particle_e = np.clip(particle_e, 0.5, 40.0)

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


def make_image(rng, particle_energy):
    """One sparse 128 x 16 float32 image: zero background, a short track."""
    img = np.zeros((TICKS, CHANNELS), dtype=np.float64)
    if rng.random() < 0.06:
        # Nearly empty cluster: one to three faint hits.
        k = rng.integers(1, 4)
        t = rng.integers(40, 90, k)
        c = rng.integers(4, 12, k)
        img[t, c] = rng.uniform(5.0, 15.0, k)
        return np.round(img, 1).astype(np.float32)

    # Track length in ticks grows with the deposited energy.
    length = int(np.clip(2.5 * particle_energy + rng.normal(0, 3), 3, 100))
    t0 = int(rng.integers(5, max(6, TICKS - length - 5)))
    c0 = int(rng.integers(3, CHANNELS - 4))
    two_channels = rng.random() < 0.5
    # Landau-like fluctuations along the track with a Bragg rise at its end.
    dq = rng.gamma(shape=3.0, scale=12.0, size=length)
    dq *= np.linspace(1.0, 1.8, length)
    dq = np.clip(dq, 5.0, 200.0)
    ticks = np.arange(t0, t0 + length)
    if two_channels:
        # Charge shared between two adjacent channels; the split drifts along the track.
        share = np.clip(np.linspace(rng.uniform(0.5, 0.9), rng.uniform(0.1, 0.5), length), 0, 1)
        main = dq * share
        side = dq * (1.0 - share)
        img[ticks, c0] = np.where(main >= 5.0, main, 0.0)
        img[ticks, c0 + 1] = np.where(side >= 5.0, side, 0.0)
    else:
        img[ticks, c0] = dq
    return np.round(img, 1).astype(np.float32)


def make_file(rng, plane, batch, n, compressed):
    metadata = make_metadata(rng, n, plane)
    images = np.stack([make_image(rng, e) for e in metadata[:, 9]]).astype(np.float32)
    assert images.shape == (n, TICKS, CHANNELS) and images.flags.c_contiguous
    path = os.path.join(HERE, f"clusters_plane{plane}_batch{batch:04d}.npz")
    save = np.savez_compressed if compressed else np.savez
    save(path, images=images, metadata=metadata)  # images first, then metadata
    return path, images, metadata


def main():
    rng = np.random.default_rng(SEED)
    for plane, batch, n, compressed in FILES:
        path, images, metadata = make_file(rng, plane, batch, n, compressed)
        with np.load(path) as z:
            assert list(z.keys()) == ["images", "metadata"]
            assert np.array_equal(z["images"], images)
            assert np.array_equal(z["metadata"], metadata)
        print(f"{os.path.basename(path)}: {n} clusters, {os.path.getsize(path)} bytes, "
              f"{'deflate' if compressed else 'stored'}, "
              f"marley={int(metadata[:, 0].sum())} main={int(metadata[:, 1].sum())} "
              f"es={int(metadata[:, 11].sum())} nu_unknown={int((metadata[:, 8] == -1).sum())}")


if __name__ == "__main__":
    main()
