#!/usr/bin/python3
"""Generate tests/data/integrity/: files for the CRC-32 and changed-file checks (issue 13).

Run from anywhere:   /usr/bin/python3 tests/data/make_integrity.py

  clusters_planeX_batch0000.npz   np.savez, 6 clusters of 128 x 16, Seed12, plane X
  other_same_length.npz           another batch (other pixels and metadata) of exactly the same length
  compressed_planeX.npz           the first file's arrays via np.savez_compressed
  meta_bitflip_stored.npz         one bit of a metadata value flipped (stored file)
  meta_bitflip_deflate.npz        one bit of the metadata deflate stream flipped so that it still
                                  inflates to the right length, to other bytes (compressed file)
  images_bitflip_stored.npz       one bit of a pixel of the last cluster flipped (stored file)
  images_bitflip_deflate.npz      as meta_bitflip_deflate, in the images member

Each bit-flipped file is checked to be refused by NumPy (zipfile's "Bad CRC-32") and to still
parse (np.load with the CRC check bypassed gives arrays of the right shapes).
"""
import io
import os
import struct
import zipfile
import zlib

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "integrity")


def batch(seed, n=6):
    rng = np.random.default_rng(seed)
    images = (rng.integers(0, 80, size=(n, 128, 16)) / 8.0).astype(np.float32)
    meta = np.zeros((n, 12), np.float32)
    meta[:, 0] = rng.integers(0, 2, n)
    meta[:, 1] = rng.integers(0, 2, n)
    meta[:, 2:5] = rng.normal(0, 100, (n, 3))
    d = rng.normal(0, 1, (n, 3))
    meta[:, 5:8] = d / np.linalg.norm(d, axis=1, keepdims=True)
    meta[:, 8] = rng.uniform(5, 50, n)
    meta[:, 9] = rng.uniform(1, 40, n)
    meta[:, 10] = 2
    meta[:, 11] = rng.integers(0, 2, n)
    return images, meta


def savez(images, meta, compressed=False):
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, images=images, metadata=meta)
    return bytearray(buf.getvalue())


def member_data(b, name):
    """(offset of the member's data, compressed size) from its local header."""
    info = zipfile.ZipFile(io.BytesIO(bytes(b))).getinfo(name)
    off = info.header_offset
    n, e = struct.unpack("<HH", b[off + 26:off + 30])
    return off + 30 + n + e, info.compress_size, info


def refused_by_numpy(b, name):
    try:
        np.load(io.BytesIO(bytes(b)))[name.replace(".npy", "")]
    except zipfile.BadZipFile as ex:
        return "CRC" in str(ex)
    return False


def flip_stored(b, name, at_end):
    start, size, _ = member_data(b, name)
    pos = start + size - 3 if at_end else start + size // 2
    b = bytearray(b)
    b[pos] ^= 0x10
    return b


def flip_deflate(b, name):
    """A bit flip in the deflate stream that still inflates to the declared size (other bytes)."""
    start, size, info = member_data(b, name)
    stream = bytes(b[start:start + size])
    for pos in range(size // 2, size - 8):
        for bit in (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80):
            cand = bytearray(stream)
            cand[pos] ^= bit
            try:
                d = zlib.decompressobj(-15)
                out = d.decompress(bytes(cand)) + d.flush()
            except zlib.error:
                continue
            if len(out) == info.file_size and d.eof and zlib.crc32(out) != info.CRC:
                result = bytearray(b)
                result[start:start + size] = cand
                return result
    raise SystemExit(f"no usable bit flip in {name}")


def main():
    os.makedirs(HERE, exist_ok=True)
    for f in os.listdir(HERE):
        os.remove(os.path.join(HERE, f))
    images, meta = batch(1)
    stored = savez(images, meta)
    other = savez(*batch(2))
    assert len(other) == len(stored)
    compressed = savez(images, meta, compressed=True)
    files = {
        "clusters_planeX_batch0000.npz": stored,
        "other_same_length.npz": other,
        "compressed_planeX.npz": compressed,
        "meta_bitflip_stored.npz": flip_stored(stored, "metadata.npy", at_end=False),
        "meta_bitflip_deflate.npz": flip_deflate(compressed, "metadata.npy"),
        "images_bitflip_stored.npz": flip_stored(stored, "images.npy", at_end=True),
        "images_bitflip_deflate.npz": flip_deflate(compressed, "images.npy"),
    }
    for name, b in files.items():
        member = "metadata.npy" if name.startswith("meta_") else "images.npy"
        if "bitflip" in name:
            assert refused_by_numpy(b, member), name
            z = zipfile.ZipFile(io.BytesIO(bytes(b)))
            with z.open(member) as m:
                m._expected_crc = None  # bypass the check: the array still parses
                arr = np.lib.format.read_array(m)
            assert arr.shape[0] == 6, name
        else:
            with np.load(io.BytesIO(bytes(b))) as z:
                assert z["images"].shape == (6, 128, 16) and z["metadata"].shape == (6, 12)
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(b)
        print(f"{name}: {len(b)} bytes")


if __name__ == "__main__":
    main()
