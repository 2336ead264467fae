#!/usr/bin/python3
"""Tiny valid .npz seeds for the AFL campaign (fuzz/run.sh), written to fuzz/seeds/.

Run:  /usr/bin/python3 fuzz/make_seeds.py

AFL mutates best from small inputs, so every seed holds N = 1..2 clusters with 4 x 2 images
(the reader accepts any image shape) in one of the container / NPY forms the reader supports:
stored and deflate, NPY 1.0/2.0/3.0, every convertible dtype, Fortran order, zip64 in its three
forms, data descriptors, extra members, metadata only, zero clusters, the three layouts.
Each seed is a few hundred bytes. Deterministic (fixed seeds, fixed zip dates).
"""
import importlib.util
import os
import shutil

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")
_spec = importlib.util.spec_from_file_location(
    "make_golden", os.path.join(HERE, "..", "tests", "data", "make_golden.py"))
mg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mg)


def tiny_images(n, ticks=4, channels=2):
    img = np.zeros((n, ticks, channels), dtype=np.float32)
    for i in range(n):
        img[i, (i + 1) % ticks, i % channels] = 8.0 + i
        img[i, (i + 2) % ticks, (i + 1) % channels] = 0.125 * (i + 1)
    return img


def tiny_metadata(n, columns=12, plane=2):
    rng = np.random.default_rng(11 + n + columns)
    md = mg.seed12_metadata(rng, n, plane)
    if columns == 11:
        return md[:, :11].copy()
    if columns == 15:
        return mg.momentum15_metadata(rng, n, plane)
    return md


def main():
    if os.path.isdir(SEEDS):
        shutil.rmtree(SEEDS)
    os.makedirs(SEEDS)
    seeds = {}
    img1, md1 = tiny_images(1), tiny_metadata(1)
    img2, md2 = tiny_images(2), tiny_metadata(2)

    seeds["stored_f4"] = mg.npz_via_numpy(dict(images=img2, metadata=md2))
    seeds["stored_n1"] = mg.npz_via_numpy(dict(images=img1, metadata=md1))
    seeds["deflate_f4"] = mg.npz_via_numpy(dict(images=img2, metadata=md2), compressed=True)
    seeds["metadata_first"] = mg.npz_via_numpy(dict(metadata=md1, images=img1))
    seeds["metadata_only"] = mg.npz_via_numpy(dict(metadata=md1))
    seeds["zero_clusters"] = mg.npz_via_numpy(
        dict(images=np.zeros((0, 4, 2), np.float32), metadata=np.zeros((0, 12), np.float32)))
    for v in (2, 3):
        seeds[f"npy_v{v}"] = mg.zip_like_numpy([("images.npy", mg.npy_bytes(img1, (v, 0))),
                                                ("metadata.npy", mg.npy_bytes(md1, (v, 0)))])
    for name, idt, mdt in (("big_endian", ">f4", ">f4"), ("float64", "<f8", "<f8"),
                           ("u1_i4", "|u1", "<i4"), ("i2_i8", "<i2", "<i8"),
                           ("f2_u2", "<f2", "<u2"), ("b1_u8", "|b1", ">u8"),
                           ("i1_u4", "|i1", "<u4"), ("be_i4_f8", ">i4", ">f8")):
        md = md2 if mdt[1] == "f" else md2.round().astype(np.int64)
        seeds[name] = mg.npz_via_numpy(dict(images=img2.astype(idt), metadata=md.astype(mdt)))
    seeds["fortran"] = mg.npz_via_numpy(dict(images=np.asfortranarray(img2),
                                             metadata=np.asfortranarray(md2)))
    seeds["legacy11"] = mg.npz_via_numpy(dict(images=img1, metadata=tiny_metadata(1, 11)))
    seeds["momentum15"] = mg.npz_via_numpy(dict(images=img1, metadata=tiny_metadata(1, 15)))
    seeds["extra_members"] = mg.zip_like_numpy([
        ("images.npy", mg.npy_bytes(img1)), ("labels.npy", mg.npy_bytes(np.arange(1))),
        ("metadata.npy", mg.npy_bytes(md1)), ("README.txt", b"not an array\n")])
    seeds["handwritten"] = mg.zip_like_numpy([
        ("images.npy", mg.npy_handmade("{'shape': (1L,4L,2L), \"fortran_order\": False, 'descr': '<f4'}",
                                       img1.tobytes(), align=None)),
        ("metadata.npy", mg.npy_handmade("{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 1 , 12 ) , }",
                                         md1.tobytes(), version=(2, 0)))])
    entries = [mg.stored_entry("images.npy", mg.npy_bytes(img1)),
               mg.stored_entry("metadata.npy", mg.npy_bytes(md1))]
    seeds["zip64_local_ffff"] = mg.raw_zip(entries, local_zip64="ffff")
    seeds["zip64_central"] = mg.raw_zip(entries, local_zip64="extra", central_zip64=True)
    seeds["zip64_full"] = mg.raw_zip(entries, local_zip64="ffff", central_zip64=True, zip64_eocd=True)
    seeds["plain_zip32"] = mg.raw_zip(entries, local_zip64=None)
    seeds["descriptor_stored"] = mg.zip_streamed([("images.npy", mg.npy_bytes(img1)),
                                                  ("metadata.npy", mg.npy_bytes(md1))])
    seeds["descriptor_deflate64"] = mg.zip_streamed([("images.npy", mg.npy_bytes(img1)),
                                                     ("metadata.npy", mg.npy_bytes(md1))],
                                                    compressed=True, force_zip64=True)

    for name, data in sorted(seeds.items()):
        assert len(data) < 4096, (name, len(data))
        with open(os.path.join(SEEDS, name + ".npz"), "wb") as f:
            f.write(data)
        # Every seed must be a file NumPy itself reads.
        with np.load(os.path.join(SEEDS, name + ".npz")) as z:
            for k in z.files:
                if k != "README":
                    z[k]
    print(f"{len(seeds)} seeds in {SEEDS}: {min(map(len, seeds.values()))}-{max(map(len, seeds.values()))} bytes")


if __name__ == "__main__":
    main()
