#!/usr/bin/python3
"""Generate the golden (valid) and broken .npz test files for ClusterPS.

Run from anywhere:   /usr/bin/python3 tests/data/make_golden.py

Outputs (all relative to this script's folder):
  golden/<name>.npz + golden/<name>.expected.json   valid files and what a reader must see
  golden/legacy11/..., golden/momentum15/...       other metadata layouts (SPEC section 2)
  broken/<name>.npz + broken/cases.json            files a reader must refuse, with error codes

Everything is deterministic: fixed seeds, and every zip member carries the fixed DOS
date 1980-01-01 00:00 (the ZipInfo default, which is also what np.savez writes), so
running the script twice gives identical bytes (for a given zlib build).

Golden image pixel values are multiples of 1/8 (or small integers), so every per-cluster
charge is exact in double precision whatever the summation order; float64 arrays hold
values that are exactly representable as float32, so converting them loses nothing.

Sidecar schema (<name>.expected.json):
  {
    "file": "<name>.npz",                 file name (relative to the sidecar's folder)
    "description": "...",                 what the variant exercises
    "layout": "Seed12"|"Legacy11"|"Momentum15",
    "plane": "U"|"V"|"X",                 batch plane (from the file name, else metadata)
    "count": N,                           number of clusters (metadata rows)
    "image_shape": [T, C] | null,         null when there is no images member
    "compressed": bool,                   true when any member is deflated
    "metadata": [[...], ...],             N rows, values as float32 (printed exactly)
    "charge": [...] | null,               per cluster images.astype(float64).sum((1,2)); null without images
    "pixels": [[n, t, c, value], ...]     a few non-zero and a few zero pixels (value as float32)
  }
"""
import io
import json
import os
import shutil
import struct
import zipfile
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
BROKEN = os.path.join(HERE, "broken")

PLANE_LETTER = {0: "U", 1: "V", 2: "X"}

# --------------------------------------------------------------------------------------
# Test data
# --------------------------------------------------------------------------------------


def make_images(rng, n, ticks=128, channels=16, kind="float"):
    """Sparse cluster images: zero background, a short track over 1-2 adjacent channels.

    kind="float": positive multiples of 1/8 in [5, 200] (exact in float32 and in sums)
    kind="uint8": integers 1..255
    kind="signed": integers -200..200, a bipolar (induction-like) pulse
    Cluster 2 (when present) is nearly empty: a single faint hit.
    """
    img = np.zeros((n, ticks, channels), dtype=np.float64)
    for i in range(n):
        if i == 2:
            img[i, ticks // 2, channels // 2] = 6.0 if kind != "float" else 6.125
            continue
        length = int(rng.integers(4, 30))
        t0 = int(rng.integers(3, ticks - length - 3))
        c0 = int(rng.integers(1, channels - 2))
        width = 2 if i % 2 == 1 else 1
        for w in range(width):
            if kind == "float":
                vals = rng.integers(40, 1601, length) / 8.0  # 5.0 .. 200.0 step 0.125
            elif kind == "uint8":
                vals = rng.integers(1, 256, length).astype(np.float64)
            else:  # signed: positive lobe then negative lobe
                vals = rng.integers(5, 201, length).astype(np.float64)
                vals[length // 2:] *= -1.0
            img[i, t0:t0 + length, c0 + w] = vals
    return img


def seed12_metadata(rng, n, plane_id):
    """Seed12 rows (SPEC section 1) as float32."""
    idx = np.arange(n)
    md = np.zeros((n, 12), dtype=np.float64)
    md[:, 0] = idx % 2 == 0                      # is_marley
    md[:, 1] = idx % 3 == 0                      # is_main_track
    md[:, 2] = rng.uniform(-350, 350, n)
    md[:, 3] = rng.uniform(-600, 600, n)
    md[:, 4] = rng.uniform(0, 1400, n)
    d = rng.normal(size=(n, 3))
    md[:, 5:8] = d / np.linalg.norm(d, axis=1, keepdims=True)
    # Marley clusters with a known neutrino energy, except every 4th cluster (-1).
    md[:, 8] = np.where((idx % 4 == 3) | (md[:, 0] == 0) & (idx % 3 == 1), -1.0,
                        rng.uniform(5, 50, n))
    md[:, 9] = rng.uniform(0.5, 40, n)
    md[:, 10] = plane_id
    md[:, 11] = idx % 3 != 2                     # mix of ES (1) and CC (0)
    return md.astype(np.float32)


def seed12_int_metadata(rng, n, plane_id):
    """Seed12 rows with integral values only (for integer-dtype files)."""
    idx = np.arange(n)
    md = np.zeros((n, 12), dtype=np.int64)
    md[:, 0] = idx % 2 == 0
    md[:, 1] = idx % 3 == 0
    md[:, 2] = rng.integers(-350, 351, n)
    md[:, 3] = rng.integers(-600, 601, n)
    md[:, 4] = rng.integers(0, 1401, n)
    axes = [(0, 0, 1), (0, -1, 0), (1, 0, 0), (0, 0, -1), (-1, 0, 0), (0, 1, 0)]
    md[:, 5:8] = [axes[i % len(axes)] for i in range(n)]
    md[:, 8] = np.where(idx % 2 == 0, rng.integers(5, 51, n), -1)
    md[:, 9] = rng.integers(1, 41, n)
    md[:, 10] = plane_id
    md[:, 11] = idx % 3 != 2
    return md


def legacy11_metadata(rng, n, plane_id):
    return seed12_metadata(rng, n, plane_id)[:, :11].copy()


def momentum15_metadata(rng, n, plane_id):
    s = seed12_metadata(rng, n, plane_id).astype(np.float64)
    md = np.zeros((n, 15), dtype=np.float64)
    md[:, 0:8] = s[:, 0:8]                       # marley, main, pos xyz, dir xyz
    e = s[:, 9]
    p = np.sqrt(e * e + 2 * e * 0.511)           # electron momentum (MeV/c)
    md[:, 8:11] = s[:, 5:8] * p[:, None]         # momentum xyz
    md[:, 11] = s[:, 8]                          # nu energy
    md[:, 12] = e                                # particle energy
    md[:, 13] = plane_id
    md[:, 14] = s[:, 11]                         # is_es
    return md.astype(np.float32)


# --------------------------------------------------------------------------------------
# NPY / ZIP building blocks
# --------------------------------------------------------------------------------------

NPY_MAGIC = b"\x93NUMPY"


def npy_bytes(arr, version=None):
    """The .npy bytes NumPy writes for arr (optionally forcing a format version)."""
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, version=version, allow_pickle=True)
    return buf.getvalue()


def npy_handmade(header_text, payload, version=(1, 0), align=64, magic=NPY_MAGIC):
    """Build NPY bytes from a header text of our own.

    align=64 pads the header with spaces and a final '\\n' as NumPy does (the total
    preamble length becomes a multiple of 64); align=None uses the text verbatim.
    """
    len_fmt = "<H" if version[0] == 1 else "<I"
    pre = len(magic) + 2 + struct.calcsize(len_fmt)
    text = header_text.encode("utf-8" if version[0] >= 3 else "latin1")
    if align:
        total = pre + len(text) + 1
        text = text + b" " * (-total % align) + b"\n"
    return magic + bytes(version) + struct.pack(len_fmt, len(text)) + text + payload


def npz_via_numpy(members, compressed=False):
    """Bytes of np.savez / np.savez_compressed(**members) (dict order = member order)."""
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **members)
    return buf.getvalue()


def zip_like_numpy(members, compressed=False):
    """Zip (name, bytes) pairs exactly the way np.savez does (zipfile, force_zip64)."""
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)        # date 1980-01-01, like numpy
            info.compress_type = method
            with zf.open(info, "w", force_zip64=True) as f:
                f.write(data)
    return buf.getvalue()


class _NonSeekable:
    """A write-only stream without tell()/seek(): zipfile then uses data descriptors."""

    def __init__(self):
        self.data = bytearray()

    def write(self, b):
        self.data += b
        return len(b)

    def flush(self):
        pass


def zip_streamed(members, compressed=False, force_zip64=False):
    """Zip written to a non-seekable stream: flag bit 3, sizes/CRC in a data descriptor."""
    out = _NonSeekable()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", compression=method) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with zf.open(info, "w", force_zip64=force_zip64) as f:
                f.write(data)
    return bytes(out.data)


DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1     # 1980-01-01 00:00:00


def raw_zip(entries, local_zip64="extra", central_zip64=False, zip64_eocd=False):
    """Write a zip by hand, for shapes Python's zipfile does not produce.

    entries: dicts with name, payload (bytes as stored in the archive), method (0/8),
             crc, usize (uncompressed size), csize (default len(payload)).
    local_zip64: None   -> plain 32-bit sizes in local headers
                 "extra"-> real 32-bit sizes plus a zip64 extra (what np.savez writes)
                 "ffff" -> 0xFFFFFFFF sizes plus a zip64 extra (older zip64 writers)
    central_zip64: central entries carry 0xFFFFFFFF sizes and offset plus a zip64 extra.
    zip64_eocd: add a zip64 end-of-central-directory record and locator, and saturate
                the classic end record's counts / size / offset fields.
    """
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e["name"].encode()
        payload = e["payload"]
        csize = e.get("csize", len(payload))
        usize = e["usize"]
        offset = len(out)
        version = 45 if (local_zip64 or central_zip64) else 20
        if local_zip64 is None:
            lextra = b""
            lc, lu = csize, usize
        else:
            lextra = struct.pack("<HHQQ", 1, 16, usize, csize)
            lc, lu = (0xFFFFFFFF, 0xFFFFFFFF) if local_zip64 == "ffff" else (csize, usize)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", version, 0, e["method"],
                           DOS_TIME, DOS_DATE, e["crc"], lc, lu, len(name), len(lextra))
        out += name + lextra + payload
        if central_zip64:
            cextra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset)
            cc, cu, coff = 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF
        else:
            cextra, cc, cu, coff = b"", csize, usize, offset
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", (3 << 8) | version,
                               version, 0, e["method"], DOS_TIME, DOS_DATE, e["crc"], cc, cu,
                               len(name), len(cextra), 0, 0, 0, 0o600 << 16, coff)
        central += name + cextra
    cd_offset, cd_size, count = len(out), len(central), len(entries)
    out += central
    if zip64_eocd:
        eocd64_offset = len(out)
        out += struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0,
                           count, count, cd_size, cd_offset)
        out += struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd64_offset, 1)
        out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF,
                           0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count,
                           cd_size, cd_offset, 0)
    return bytes(out)


def stored_entry(name, data):
    return dict(name=name, payload=data, method=0, crc=zlib.crc32(data), usize=len(data))


def zip_layout(buf):
    """Per member: name, offset of its local header, of its data, of its central entry."""
    eocd = buf.rfind(b"PK\x05\x06")
    count, _, cd_offset = struct.unpack("<HII", buf[eocd + 10:eocd + 20])
    members = {}
    pos = cd_offset
    for _ in range(count):
        assert buf[pos:pos + 4] == b"PK\x01\x02"
        nlen, xlen, clen = struct.unpack("<HHH", buf[pos + 28:pos + 34])
        (loff,) = struct.unpack("<I", buf[pos + 42:pos + 46])
        name = buf[pos + 46:pos + 46 + nlen].decode()
        lnlen, lxlen = struct.unpack("<HH", buf[loff + 26:loff + 30])
        members[name] = dict(local=loff, data=loff + 30 + lnlen + lxlen, central=pos)
        pos += 46 + nlen + xlen + clen
    return members


def patch(buf, offset, new):
    b = bytearray(buf)
    b[offset:offset + len(new)] = new
    return bytes(b)


# --------------------------------------------------------------------------------------
# Golden files
# --------------------------------------------------------------------------------------


def _fmt_json(obj):
    """JSON with one array row per line (diff-friendly), deterministic."""
    lines = ["{"]
    items = list(obj.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(v, list) and v and isinstance(v[0], list):
            rows = ",\n    ".join(json.dumps(r) for r in v)
            lines.append(f'  "{k}": [\n    {rows}\n  ]{comma}')
        else:
            lines.append(f'  "{k}": {json.dumps(v)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def pick_pixels(images):
    """A few non-zero pixels (spread over the clusters) and a few zero pixels."""
    if images is None or images.shape[0] == 0:
        return []
    nz = np.argwhere(images != 0)
    z = np.argwhere(images == 0)
    picks = []
    for sel in (nz, z):
        k = 6 if sel is nz else 3
        if len(sel):
            for j in np.linspace(0, len(sel) - 1, min(k, len(sel))).round().astype(int):
                picks.append(tuple(int(x) for x in sel[j]))
    # Also the brightest pixel of every cluster (checks the tick/channel indexing).
    for n in range(images.shape[0]):
        t, c = np.unravel_index(np.argmax(np.abs(images[n])), images.shape[1:])
        picks.append((n, int(t), int(c)))
    picks = sorted(set(picks))
    return [[n, t, c, float(np.float32(images[n, t, c]))] for n, t, c in picks]


def expected(name, description, images, metadata, compressed, layout="Seed12", plane=None):
    md32 = np.asarray(metadata).astype(np.float32)
    if plane is None:
        plane_col = {"Seed12": 10, "Legacy11": 10, "Momentum15": 13}[layout]
        plane = PLANE_LETTER[int(md32[0, plane_col])]
    img = None if images is None else np.asarray(images)
    return {
        "file": name,
        "description": description,
        "layout": layout,
        "plane": plane,
        "count": int(md32.shape[0]),
        "image_shape": None if img is None else [int(img.shape[1]), int(img.shape[2])],
        "compressed": bool(compressed),
        "metadata": md32.tolist(),
        "charge": None if img is None else [float(x) for x in img.astype(np.float64).sum((1, 2))],
        "pixels": pick_pixels(None if img is None else img.astype(np.float64)),
    }


def write_golden(relpath, data, description, images, metadata, compressed,
                 layout="Seed12", plane=None):
    path = os.path.join(GOLDEN, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    exp = expected(os.path.basename(relpath), description, images, metadata, compressed,
                   layout, plane)
    with open(path[:-4] + ".expected.json", "w") as f:
        f.write(_fmt_json(exp))


def make_golden():
    rng = np.random.default_rng(7001)
    f32 = np.float32

    # a / b: the canonical stored file and its savez_compressed twin (same arrays).
    img = make_images(rng, 4).astype(f32)
    md = seed12_metadata(rng, 4, 2)
    write_golden("clusters_planeX_batch0007.npz", npz_via_numpy(dict(images=img, metadata=md)),
                 "np.savez, stored, float32, Seed12, plane X in the file name", img, md, False)
    write_golden("savez_compressed_planeX.npz",
                 npz_via_numpy(dict(images=img, metadata=md), compressed=True),
                 "np.savez_compressed (deflate) of the same arrays as clusters_planeX_batch0007",
                 img, md, True)

    # c / d: NPY format versions 2.0 and 3.0.
    for ver, plane_id in (((2, 0), 0), ((3, 0), 1)):
        img = make_images(rng, 3).astype(f32)
        md = seed12_metadata(rng, 3, plane_id)
        data = zip_like_numpy([("images.npy", npy_bytes(img, ver)),
                               ("metadata.npy", npy_bytes(md, ver))])
        write_golden(f"npy_v{ver[0]}.npz", data,
                     f"NPY format version {ver[0]}.{ver[1]} members "
                     f"({'4-byte header length' if ver[0] == 2 else '4-byte length, UTF-8 header'})",
                     img, md, False)

    # e: big-endian float32.
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    write_golden("big_endian_f4.npz",
                 npz_via_numpy(dict(images=img.astype(">f4"), metadata=md.astype(">f4"))),
                 "big-endian '>f4' images and metadata", img, md, False)

    # f: float64 (values exactly representable as float32).
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 1)
    write_golden("float64.npz",
                 npz_via_numpy(dict(images=img.astype("<f8"), metadata=md.astype("<f8"))),
                 "'<f8' images and metadata (values exact in float32)", img, md, False)

    # g: integer dtypes.
    img = make_images(rng, 4, kind="uint8")
    md = seed12_int_metadata(rng, 4, 2)
    write_golden("int32_metadata_uint8_images.npz",
                 npz_via_numpy(dict(images=img.astype("|u1"), metadata=md.astype("<i4"))),
                 "'|u1' images, '<i4' metadata", img, md, False)
    img = make_images(rng, 3, kind="signed")
    md = seed12_int_metadata(rng, 3, 0)
    write_golden("int16_images_int64_metadata.npz",
                 npz_via_numpy(dict(images=img.astype("<i2"), metadata=md.astype("<i8"))),
                 "'<i2' images with negative (bipolar) values, '<i8' metadata", img, md, False)
    img = make_images(rng, 3, kind="signed")
    md = seed12_int_metadata(rng, 3, 1)
    write_golden("big_endian_int32.npz",
                 npz_via_numpy(dict(images=img.astype(">i4"), metadata=md.astype(">i4"))),
                 "big-endian '>i4' images (negative values) and metadata", img, md, False)

    # h: Fortran order.
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    write_golden("fortran_order.npz",
                 npz_via_numpy(dict(images=np.asfortranarray(img), metadata=np.asfortranarray(md))),
                 "fortran_order True for both arrays (same values as C order)", img, md, False)

    # i: extra members, and metadata before images.
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    labels = np.arange(3, dtype="<i8") * 10
    notes = np.array(["signal", "fragment", "noise"], dtype="<U16")
    data = zip_like_numpy([("images.npy", npy_bytes(img)), ("labels.npy", npy_bytes(labels)),
                           ("metadata.npy", npy_bytes(md)), ("notes.npy", npy_bytes(notes)),
                           ("README.txt", b"produced by make_golden.py; not an array\n")])
    write_golden("extra_members.npz", data,
                 "extra members to ignore: labels (<i8), notes (<U16), README.txt (not NPY)",
                 img, md, False)
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 0)
    write_golden("metadata_first.npz", npz_via_numpy(dict(metadata=md, images=img)),
                 "metadata.npy precedes images.npy in the archive", img, md, False)

    # j: metadata only.
    md = seed12_metadata(rng, 5, 1)
    write_golden("metadata_only.npz", npz_via_numpy(dict(metadata=md)),
                 "no images member: metadata-only use must work", None, md, False)

    # k: hand-written NPY headers.
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    data = zip_like_numpy([
        ("images.npy", npy_handmade(
            '{ "descr" :  "<f4" ,  "fortran_order" : False , "shape" : ( 3L , 128L , 16L ) }',
            img.tobytes())),
        ("metadata.npy", npy_handmade(
            '{"descr": "<f4",  "fortran_order":False, "shape": (3L, 12L)}',
            md.tobytes())),
    ])
    write_golden("handwritten_header.npz", data,
                 "NPY 1.0 headers written by hand: double quotes, no trailing comma, L suffixes, "
                 "extra spaces; padded to 64 bytes", img, md, False)

    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    data = zip_like_numpy([
        ("images.npy", npy_handmade(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 128, 16), }\n",
            img.tobytes(), align=None)),     # preamble 76 bytes: not aligned to 64
        ("metadata.npy", npy_handmade(
            "{'shape': (3,12),'fortran_order': False,'descr': '<f4'}",
            md.tobytes(), align=None)),      # no trailing newline, keys reordered
    ])
    write_golden("handwritten_unpadded.npz", data,
                 "NPY 1.0 headers NOT padded to 64 (odd lengths, one without trailing newline, "
                 "keys in another order): the header length field must be trusted", img, md, False)

    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 0)
    data = zip_like_numpy([
        ("images.npy", npy_handmade(
            "{\t'descr':\t\"<f4\",\n 'fortran_order': False,\n 'shape': (3L,128L,16L),\t}",
            img.tobytes(), version=(2, 0), align=None)),
        ("metadata.npy", npy_handmade(
            "{'descr': '<f4', \"fortran_order\": False, 'shape': (3L, 12L),}   ",
            md.tobytes(), version=(2, 0), align=16)),
    ])
    write_golden("handwritten_v2_mixed.npz", data,
                 "NPY 2.0 hand-written headers: mixed quotes, tabs and newlines inside the dict, "
                 "trailing comma, L suffixes; one unpadded, one padded to 16", img, md, False)

    # l: 128 x 32 images.
    img = make_images(rng, 3, channels=32).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    write_golden("images_128x32.npz", npz_via_numpy(dict(images=img, metadata=md)),
                 "images N x 128 x 32 (newer data)", img, md, False)

    # m: zero clusters.
    img = np.zeros((0, 128, 16), dtype=f32)
    md = np.zeros((0, 12), dtype=f32)
    write_golden("zero_clusters_planeX.npz", npz_via_numpy(dict(images=img, metadata=md)),
                 "images (0,128,16) and metadata (0,12): a valid, empty batch "
                 "(plane X from the file name)", img, md, False, plane="X")

    # n: zip64 forms.
    for name, kwargs, what in (
        ("zip64_local_ffff.npz", dict(local_zip64="ffff"),
         "local headers carry 0xFFFFFFFF sizes + zip64 extra; central directory is plain"),
        ("zip64_central.npz", dict(local_zip64="extra", central_zip64=True),
         "central directory entries carry 0xFFFFFFFF sizes/offset + zip64 extra"),
        ("zip64_full.npz", dict(local_zip64="ffff", central_zip64=True, zip64_eocd=True),
         "zip64 everywhere: local and central extras, zip64 end record + locator, "
         "saturated classic end record"),
    ):
        img = make_images(rng, 3).astype(f32)
        md = seed12_metadata(rng, 3, 2)
        data = raw_zip([stored_entry("images.npy", npy_bytes(img)),
                        stored_entry("metadata.npy", npy_bytes(md))], **kwargs)
        write_golden(name, data, what, img, md, False)

    # o: other layouts, with the plane in the file name.
    md = legacy11_metadata(rng, 4, 1)
    img = make_images(rng, 4).astype(f32)
    write_golden("legacy11/clusters_planeV_batch0000.npz",
                 npz_via_numpy(dict(images=img, metadata=md)),
                 "Legacy11: 11 columns, section-1 order without is_es", img, md, False,
                 layout="Legacy11")
    md = momentum15_metadata(rng, 4, 0)
    img = make_images(rng, 4).astype(f32)
    write_golden("momentum15/clusters_planeU_batch0000.npz",
                 npz_via_numpy(dict(images=img, metadata=md)),
                 "Momentum15: 15 columns (momentum xyz at 8-10, nu energy 11, particle energy 12, "
                 "plane 13, is_es 14)", img, md, False, layout="Momentum15")

    # p: data descriptors (zipfile writing to a non-seekable stream).
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    write_golden("data_descriptor_stored.npz",
                 zip_streamed([("images.npy", npy_bytes(img)), ("metadata.npy", npy_bytes(md))]),
                 "stored members with flag bit 3: local headers have zero sizes/CRC, 16-byte "
                 "data descriptors follow the data; sizes only in the central directory",
                 img, md, False)
    img = make_images(rng, 3).astype(f32)
    md = seed12_metadata(rng, 3, 2)
    write_golden("data_descriptor_deflate_zip64.npz",
                 zip_streamed([("images.npy", npy_bytes(img)), ("metadata.npy", npy_bytes(md))],
                              compressed=True, force_zip64=True),
                 "deflated members with flag bit 3 and zip64: zero sizes in local headers, "
                 "24-byte (8-byte sizes) data descriptors", img, md, True)


# --------------------------------------------------------------------------------------
# Broken files
# --------------------------------------------------------------------------------------


def make_broken():
    rng = np.random.default_rng(9001)
    f32 = np.float32
    cases = []

    def add(name, data, code, what, alt=None):
        assert len(data) < 300_000, name
        with open(os.path.join(BROKEN, name), "wb") as f:
            f.write(data)
        case = {"file": name, "code": code, "what": what}
        if alt:
            case["alt_codes"] = alt
        cases.append(case)

    img3 = make_images(rng, 3).astype(f32)
    md3 = seed12_metadata(rng, 3, 2)
    img_npy, md_npy = npy_bytes(img3), npy_bytes(md3)
    base = npz_via_numpy(dict(images=img3, metadata=md3))            # valid, stored
    base_z = npz_via_numpy(dict(images=img3, metadata=md3), compressed=True)
    md_payload = md3.tobytes()

    def with_metadata(md_bytes, images_bytes=img_npy):
        """A valid zip (correct CRCs) whose metadata.npy holds md_bytes."""
        return zip_like_numpy([("images.npy", images_bytes), ("metadata.npy", md_bytes)])

    def md_header(descr="'<f4'", shape="(3, 12)", fortran="False"):
        return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)

    # --- container level ---------------------------------------------------------------
    add("empty.npz", b"", "NotAZipFile", "0-byte file")
    add("not_a_zip.npz", b"clusters: this is a text file that was renamed to .npz\n" * 4,
        "NotAZipFile", "plain text, no zip structure at all")
    add("truncated_half.npz", base[:len(base) // 2], "NotAZipFile",
        "first half of a valid stored file: starts with a local header but the central "
        "directory and end record are gone", alt=["Truncated"])
    add("truncated_tail.npz", base[:-10], "Truncated",
        "last 10 bytes cut: the end-of-central-directory signature is present but its "
        "22-byte record is incomplete", alt=["NotAZipFile"])
    buf = io.BytesIO()
    zipfile.ZipFile(buf, "w").close()
    assert len(buf.getvalue()) == 22
    add("empty_archive.npz", buf.getvalue(), "MissingMember",
        "a valid empty zip (22-byte end record only): no metadata member")
    add("no_metadata.npz", npz_via_numpy(dict(images=img3)), "MissingMember",
        "only images.npy, no metadata.npy")

    lay = zip_layout(base)
    cd_pos = base.rfind(b"PK\x05\x06") + 16
    add("bad_cd_offset.npz", patch(base, cd_pos, struct.pack("<I", len(base) + 4096)),
        "CorruptZip", "end record's central-directory offset points past the end of the file")
    add("bad_local_header.npz", patch(base, lay["metadata.npy"]["local"], b"XX"),
        "CorruptZip", "metadata local file header signature damaged ('XX\\x03\\x04')")
    b = base
    b = patch(b, lay["metadata.npy"]["local"] + 8, struct.pack("<H", 99))
    b = patch(b, lay["metadata.npy"]["central"] + 10, struct.pack("<H", 99))
    add("compression_method_99.npz", b, "CorruptZip",
        "metadata member's compression method is 99 in both local and central headers")
    b = base
    for off in (lay["metadata.npy"]["local"] + 6, lay["metadata.npy"]["central"] + 8):
        (flags,) = struct.unpack("<H", b[off:off + 2])
        b = patch(b, off, struct.pack("<H", flags | 1))
    add("encrypted_flag.npz", b, "CorruptZip",
        "general-purpose bit 0 (encrypted) set on metadata in both local and central headers")

    # --- data integrity ------------------------------------------------------------------
    # bad CRC: flip the lowest byte of the first non-zero image pixel (still parses).
    flat = np.flatnonzero(img3.ravel())[0]
    pos = lay["images.npy"]["data"] + (len(img_npy) - img3.nbytes) + 4 * int(flat)
    b = patch(base, pos, bytes([base[pos] ^ 0x01]))
    add("bad_crc.npz", b, "CorruptData",
        "one byte of an image pixel flipped in a stored file: values still parse, the "
        "CRC-32 no longer matches (only a reader/audit that verifies CRC finds it)")

    # corrupt deflate: overwrite the middle of the metadata deflate stream until zlib fails.
    lay_z = zip_layout(base_z)
    info = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(base_z)).infolist()}
    start = lay_z["metadata.npy"]["data"]
    csize = info["metadata.npy"].compress_size
    chosen = None
    for pattern in (b"\xff" * 8, b"\x00" * 8, b"\xde\xad\xbe\xef" * 2, b"\x55" * 8):
        for mid in range(csize // 2, csize - 12):
            cand = patch(base_z, start + mid, pattern)
            try:
                zlib.decompressobj(-15).decompress(cand[start:start + csize])
            except zlib.error:
                chosen = cand
                break
        if chosen:
            break
    assert chosen is not None
    add("corrupt_deflate.npz", chosen, "CorruptData",
        "savez_compressed file with 8 bytes in the middle of the metadata deflate stream "
        "overwritten: the inflater fails (e.g. invalid distance / code)")

    # deflate bomb: central size says 272 bytes (NPY header + 3x12 float32), the stream
    # goes on to inflate ~200 MB of zeros after those 272 bytes.
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = comp.compress(md_npy)
    zeros = bytes(1 << 20)
    for _ in range(200):
        stream += comp.compress(zeros)
    stream += comp.flush()
    bomb = raw_zip([stored_entry("images.npy", img_npy),
                    dict(name="metadata.npy", payload=stream, method=8,
                         crc=zlib.crc32(md_npy), usize=len(md_npy))], local_zip64=None)
    add("deflate_bomb.npz", bomb, "InflateLimit",
        f"metadata deflate stream inflates to {len(md_npy)} + 200 MiB bytes while both headers "
        f"say {len(md_npy)} (CRC is that of the first {len(md_npy)} bytes): the decoder must "
        f"stop at the promised size and report the excess")
    # The same trick with an honest central directory: it declares the full inflated size
    # (header + 32 MiB), but the NPY header inside still says (3, 12) <f4.
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream2 = comp.compress(md_npy)
    for _ in range(32):
        stream2 += comp.compress(zeros)
    stream2 += comp.flush()
    full = md_npy + bytes(32 << 20)
    bomb2 = raw_zip([stored_entry("images.npy", img_npy),
                     dict(name="metadata.npy", payload=stream2, method=8,
                          crc=zlib.crc32(full), usize=len(full))], local_zip64=None)
    add("bomb_declared.npz", bomb2, "SizeMismatch",
        "central directory honestly declares 272 B + 32 MiB uncompressed for metadata, but "
        "its NPY header says shape (3, 12) <f4 (144 data bytes): refuse before inflating")

    # --- members ------------------------------------------------------------------------
    img4 = make_images(rng, 4).astype(f32)
    md5 = seed12_metadata(rng, 5, 2)
    add("row_mismatch.npz", npz_via_numpy(dict(images=img4, metadata=md5)), "RowCountMismatch",
        "images has 4 clusters, metadata has 5 rows")

    # --- dtypes -------------------------------------------------------------------------
    obj = np.empty((3, 12), dtype=object)
    obj[...] = md3.astype(float).tolist()
    add("pickled_metadata.npz", npz_via_numpy(dict(images=img3, metadata=obj)),
        "UnsupportedDType", "metadata dtype '|O' (pickled object array): must never unpickle")
    add("unicode_metadata.npz",
        npz_via_numpy(dict(images=img3, metadata=md3.astype("<U5"))),
        "UnsupportedDType", "metadata dtype '<U5' (strings)")
    add("complex_images.npz",
        npz_via_numpy(dict(images=img3.astype("<c8"), metadata=md3)),
        "UnsupportedDType", "images dtype '<c8' (complex64); metadata is valid")
    add("structured_metadata.npz",
        with_metadata(npy_handmade(md_header(descr="[('v', '<f4')]"), md_payload)),
        "UnsupportedDType", "metadata descr is a structured dtype [('v', '<f4')]")

    # --- NPY headers ----------------------------------------------------------------------
    add("bad_magic.npz", with_metadata(b"\x93NUMPX" + md_npy[6:]), "InvalidNpyHeader",
        "metadata.npy magic is '\\x93NUMPX' instead of '\\x93NUMPY' (zip CRC is valid)")
    add("bad_npy_version.npz", with_metadata(md_npy[:6] + b"\x09\x00" + md_npy[8:]),
        "InvalidNpyHeader", "metadata.npy format version 9.0")
    add("malformed_header.npz",
        with_metadata(npy_handmade(md_header().replace("}", " "), md_payload)),
        "InvalidNpyHeader", "metadata header dict has no closing brace")
    add("missing_shape_key.npz",
        with_metadata(npy_handmade("{'descr': '<f4', 'fortran_order': False, }", md_payload)),
        "InvalidNpyHeader", "metadata header has no 'shape' key")
    long_text = md_header() + " " * (20000 - len(md_header()) - 1) + "\n"
    assert len(long_text) == 20000
    add("header_too_long.npz", with_metadata(npy_handmade(long_text, md_payload, align=None)),
        "InvalidNpyHeader", "metadata NPY 1.0 header length field is 20000 (> 10000 limit), "
        "and the header really is that long (spaces)")

    # --- shapes and sizes -------------------------------------------------------------------
    add("negative_dim.npz", with_metadata(npy_handmade(md_header(shape="(-3, 12)"), md_payload)),
        "InvalidShape", "metadata shape (-3, 12); data holds 3 rows")
    add("metadata_1d.npz", with_metadata(npy_handmade(md_header(shape="(36,)"), md_payload)),
        "InvalidShape", "metadata shape (36,): one-dimensional, not N x columns")
    add("images_2d.npz",
        with_metadata(md_npy, images_bytes=npy_handmade(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2048), }", img3.tobytes())),
        "InvalidShape", "images shape (3, 2048): two-dimensional, not N x T x C")
    add("absurd_shape.npz",
        with_metadata(npy_handmade(md_header(shape="(1099511627776, 12)"), md_payload)),
        "SizeMismatch", "metadata header claims shape (1099511627776, 12) (48 TiB) but the "
        "member holds 144 data bytes: must not allocate", alt=["InvalidShape"])
    add("overflow_shape.npz",
        with_metadata(npy_handmade(md_header(shape="(4611686018427387904, 12)"), md_payload)),
        "SizeMismatch", "metadata shape (2**62, 12): rows x 12 x 4 overflows 64-bit "
        "arithmetic; must be caught, not wrapped around", alt=["InvalidShape"])
    img5 = make_images(rng, 5).astype(f32)
    md5b = seed12_metadata(rng, 5, 2)
    add("short_data.npz",
        with_metadata(npy_handmade(md_header(shape="(5, 12)"), md5b[:4].tobytes()),
                      images_bytes=npy_bytes(img5)),
        "SizeMismatch", "metadata header says 5 rows, the member holds 4 rows' bytes "
        "(images has 5 clusters)")

    with open(os.path.join(BROKEN, "cases.json"), "w") as f:
        f.write("[\n" + ",\n".join("  " + json.dumps(c) for c in cases) + "\n]\n")
    return cases


# --------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------


def verify_golden():
    """Every golden file loads with np.load and matches its sidecar."""
    n_files = 0
    for root, _, files in os.walk(GOLDEN):
        for fn in sorted(files):
            if not fn.endswith(".expected.json"):
                continue
            with open(os.path.join(root, fn)) as f:
                exp = json.load(f)
            path = os.path.join(root, exp["file"])
            with np.load(path, allow_pickle=False) as z:
                md = z["metadata"].astype(np.float32)
                img = z["images"] if "images" in z.files else None
            with zipfile.ZipFile(path) as zf:
                assert zf.testzip() is None, path
                compressed = any(i.compress_type != zipfile.ZIP_STORED for i in zf.infolist())
            assert exp["compressed"] == compressed, path
            assert exp["count"] == md.shape[0], path
            assert np.array_equal(np.array(exp["metadata"], dtype=np.float32).reshape(md.shape),
                                  md), path
            if img is None:
                assert exp["image_shape"] is None and exp["charge"] is None, path
            else:
                assert exp["image_shape"] == list(img.shape[1:]), path
                assert img.shape[0] == md.shape[0], path
                # values survive the conversion to float32 unchanged
                assert np.array_equal(img.astype(np.float32).astype(np.float64),
                                      img.astype(np.float64)), path
                assert exp["charge"] == [float(x) for x in img.astype(np.float64).sum((1, 2))], path
                for n, t, c, v in exp["pixels"]:
                    assert float(np.float32(img[n, t, c])) == v, (path, n, t, c)
            n_files += 1
    return n_files


def describe_numpy(path):
    """What NumPy does with a broken file (for the printed summary only)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            for k in z.files:
                z[k]
        return "np.load reads it"
    except Exception as e:  # noqa: BLE001 - summary only
        return f"np.load: {type(e).__name__}: {str(e)[:70]}"


def main():
    for d in (GOLDEN, BROKEN):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    make_golden()
    cases = make_broken()
    print(f"golden: {verify_golden()} files verified against their sidecars")
    for c in cases:
        p = os.path.join(BROKEN, c["file"])
        print(f"  {c['file']:32s} {os.path.getsize(p):7d}  {c['code']:17s} {describe_numpy(p)}")


if __name__ == "__main__":
    main()
