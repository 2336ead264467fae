#!/usr/bin/python3
"""Generate tests/data/adversarial/: hostile .npz files that tests/data/broken/ does not cover.

Run from anywhere:   /usr/bin/python3 tests/data/make_adversarial.py

It deletes and rewrites adversarial/ and adversarial/cases.json, a list of
  {"file": name, "code": NpzErrorCode | "ok", "what": one line,
   "expect": {...}}                           only for "ok": what a reader must see
where expect is {"count": N, "image_shape": [T, C] | null, "metadata": [[...]], "charge": [...] | null}
(float32 values printed exactly, as in golden/ sidecars).

The code is that of the first NpzFormatException a full read raises: BatchFile.Open (layout
detection), ClusterSelector.Select with MinCharge = -inf (every image row), each cluster's
Image, then the images re-read with CRC-32 verification (AdversarialTests.ReadEverything).

Groups (file name prefix):
  trunc_*     a small valid file cut at every structure boundary: local header, name, extra,
              data, data descriptor, central directory entry (fixed part, name, extra), zip64
              end record, zip64 locator, end record; for a stored np.savez file, a
              savez_compressed file, a streamed deflate+zip64 file (data descriptors) and a
              stored file with every zip64 structure
  hole_*      bytes cut out of the middle (the end record survives, its offsets now lie)
  lie_*       sizes / offsets / counts that disagree between local header, central directory
              and end record
  zip64_*     zip64 extra fields missing, short or inconsistent; zip64 records that lie
  dup_*       duplicate member names
  hdrlen_*    NPY header length fields that run past the member or into the data
  hdr_*       NPY header dict text edits: unbalanced brackets, huge numbers, missing keys,
              wrong value types, bad dtype strings, version and encoding faults
  dtype_*     every dtype NumPy writes, for metadata and for images: the numeric ones must read
              to the right values ("ok"), the rest are UnsupportedDType
  deflate_*   corrupt / short deflate streams in the images member (read row by row), bombs
  huge_*      headers and directories claiming 2^40 clusters or members
  member_*    other member-level oddities

Every file is small except deflate_bomb_1gib.npz (1 GiB of zeros in ~1 MB); the folder stays
under 4 MB. Deterministic for a given zlib build.
"""
import importlib.util
import json
import os
import shutil
import struct
import warnings
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "adversarial")
_spec = importlib.util.spec_from_file_location("make_golden", os.path.join(HERE, "make_golden.py"))
mg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mg)

f32 = np.float32

# --------------------------------------------------------------------------------------
# Base arrays: 2 clusters of 4 x 2 images (multiples of 1/8: exact sums), Seed12 metadata
# of plane X (file names carry no plane, so the plane comes from the metadata).
# --------------------------------------------------------------------------------------

IMG = np.array([[[0, 1.5], [8.125, 0], [0, 0], [2.25, 0.5]],
                [[0, 0], [0, 3.375], [100, 0.125], [0, 0]]], dtype=f32)
MD = mg.seed12_metadata(np.random.default_rng(4242), 2, 2)
IMG_NPY = mg.npy_bytes(IMG)
MD_NPY = mg.npy_bytes(MD)


def md_header(descr="'<f4'", shape="(2, 12)", fortran="False"):
    return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)


def expect_for(images, metadata):
    md32 = np.asarray(metadata).astype(f32)
    img32 = None if images is None else np.asarray(images).astype(f32)
    return {
        "count": int(md32.shape[0]),
        "image_shape": None if img32 is None else [int(img32.shape[1]), int(img32.shape[2])],
        "metadata": md32.tolist(),
        "charge": None if img32 is None else [float(x) for x in img32.astype(np.float64).sum((1, 2))],
    }


# --------------------------------------------------------------------------------------
# Zip helpers
# --------------------------------------------------------------------------------------

def u16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def u64(b, o):
    return struct.unpack_from("<Q", b, o)[0]


def put(buf, offset, fmt, value):
    b = bytearray(buf)
    struct.pack_into(fmt, b, offset, value)
    return bytes(b)


def parse_zip(buf):
    """Every structure of a (well-formed) zip: offsets of local headers, names, extras, data,
    data descriptors, central entries, zip64 end record / locator and the end record."""
    eocd = buf.rfind(b"PK\x05\x06")
    count, cd_size, cd_off = u16(buf, eocd + 10), u32(buf, eocd + 12), u32(buf, eocd + 16)
    z = {"eocd": eocd, "zip64_end": None, "zip64_locator": None}
    if eocd >= 20 and buf[eocd - 20:eocd - 16] == b"PK\x06\x07":
        z["zip64_locator"] = eocd - 20
        z64 = u64(buf, eocd - 20 + 8)
        z["zip64_end"] = z64
        count, cd_size, cd_off = u64(buf, z64 + 32), u64(buf, z64 + 40), u64(buf, z64 + 48)
    z["cd"] = cd_off
    members = []
    pos = cd_off
    for _ in range(count):
        assert buf[pos:pos + 4] == b"PK\x01\x02"
        nlen, xlen, clen = u16(buf, pos + 28), u16(buf, pos + 30), u16(buf, pos + 32)
        csize, usize, loff = u32(buf, pos + 20), u32(buf, pos + 24), u32(buf, pos + 42)
        extra = buf[pos + 46 + nlen:pos + 46 + nlen + xlen]
        if 0xFFFFFFFF in (csize, usize, loff):
            i = 0
            while i < len(extra):
                tag, size = struct.unpack_from("<HH", extra, i)
                if tag == 1:
                    vals = list(struct.unpack_from("<%dQ" % (size // 8), extra, i + 4))
                    if usize == 0xFFFFFFFF:
                        usize = vals.pop(0)
                    if csize == 0xFFFFFFFF:
                        csize = vals.pop(0)
                    if loff == 0xFFFFFFFF:
                        loff = vals.pop(0)
                i += 4 + size
        name = buf[pos + 46:pos + 46 + nlen].decode()
        flags = u16(buf, loff + 6)
        lnlen, lxlen = u16(buf, loff + 26), u16(buf, loff + 28)
        lextra = buf[loff + 30 + lnlen:loff + 30 + lnlen + lxlen]
        data = loff + 30 + lnlen + lxlen
        m = dict(name=name, central=pos, central_name=pos + 46, central_extra=pos + 46 + nlen,
                 central_end=pos + 46 + nlen + xlen + clen, local=loff, local_name=loff + 30,
                 local_extra=loff + 30 + lnlen, data=data, data_end=data + csize,
                 csize=csize, usize=usize, descriptor_end=None)
        if flags & 8:
            d = data + csize
            sig = 4 if buf[d:d + 4] == b"PK\x07\x08" else 0
            zip64 = b"\x01\x00" in lextra[:2] or lxlen >= 20
            m["descriptor_end"] = d + sig + 4 + (16 if zip64 else 8)
        members.append(m)
        pos += 46 + nlen + xlen + clen
    z["members"] = members
    return z


def by_name(z, name):
    return next(m for m in z["members"] if m["name"] == name)


def zip_entries(members, method=0):
    """raw_zip entries for (name, npy bytes) pairs, stored or deflated."""
    out = []
    for name, data in members:
        if method == 0:
            out.append(mg.stored_entry(name, data))
        else:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = c.compress(data) + c.flush()
            out.append(dict(name=name, payload=payload, method=8, crc=zlib.crc32(data), usize=len(data)))
    return out


def base_members(md=MD_NPY, img=IMG_NPY):
    return [("images.npy", img), ("metadata.npy", md)]


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

CASES = []


def add(name, data, code, what, expect=None):
    assert name.endswith(".npz") and name not in {c["file"] for c in CASES}, name
    assert (code == "ok") == (expect is not None), name
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    case = {"file": name, "code": code, "what": what}
    if expect is not None:
        case["expect"] = expect
    CASES.append(case)


OK_BASE = expect_for(IMG, MD)


def truncations():
    bases = {
        "stored": (mg.zip_like_numpy(base_members()), "np.savez (stored, zip64 extra in local headers)"),
        "deflate": (mg.zip_like_numpy(base_members(), compressed=True), "np.savez_compressed (deflate)"),
        "descriptor": (mg.zip_streamed(base_members(), compressed=True, force_zip64=True),
                       "streamed deflate with flag bit 3 and zip64 data descriptors"),
        "zip64": (mg.raw_zip(zip_entries(base_members()), local_zip64="ffff", central_zip64=True,
                             zip64_eocd=True), "stored, zip64 everywhere (extras, end record, locator)"),
    }
    for key, (buf, desc) in bases.items():
        add(f"trunc_{key}_00_whole.npz", buf, "ok", f"{desc}: the untruncated file, for reference", OK_BASE)
        z = parse_zip(buf)
        cuts = {}
        for m in z["members"]:
            n = m["name"].split(".")[0]
            cuts[m["local"] + 4] = f"{n} local header signature only"
            cuts[m["local_name"]] = f"{n} local header, before its name"
            cuts[m["local_extra"]] = f"{n} local header, after its name, before its extra field"
            cuts[m["data"]] = f"{n}: after the local extra field, before the data"
            cuts[m["data"] + (m["data_end"] - m["data"]) // 2] = f"{n}: in the middle of the data"
            cuts[m["data_end"]] = f"{n}: after the data" + (", before the data descriptor" if m["descriptor_end"] else "")
            if m["descriptor_end"]:
                cuts[m["data_end"] + 8] = f"{n}: in the middle of the data descriptor"
                cuts[m["descriptor_end"]] = f"{n}: after the data descriptor"
            cuts[m["central"] + 20] = f"{n} central entry, in its fixed part"
            cuts[m["central_name"]] = f"{n} central entry, before its name"
            cuts[m["central_extra"]] = f"{n} central entry, after its name, before its extra field"
            cuts[m["central_end"]] = f"{n} central entry, after it"
        if z["zip64_end"] is not None:
            cuts[z["zip64_end"]] = "before the zip64 end record"
            cuts[z["zip64_end"] + 28] = "in the middle of the zip64 end record"
            cuts[z["zip64_locator"]] = "after the zip64 end record, before the zip64 locator"
            cuts[z["zip64_locator"] + 10] = "in the middle of the zip64 locator"
        cuts[z["eocd"]] = "before the end record"
        cuts[z["eocd"] + 4] = "after the end record's signature"
        cuts[z["eocd"] + 12] = "in the middle of the end record"
        cuts[len(buf) - 1] = "the last byte of the end record"
        for i, cut in enumerate(sorted(c for c in cuts if 0 < c < len(buf)), 1):
            add(f"trunc_{key}_{i:02d}_at_{cut}.npz", buf[:cut], "Truncated",
                f"{desc}, cut at byte {cut} of {len(buf)}: {cuts[cut]}; it starts like a zip but has no end record")
    # Shorter than an end record.
    add("trunc_10_bytes.npz", mg.zip_like_numpy(base_members())[:10], "Truncated",
        "the first 10 bytes of a stored file (a local header signature and version)")
    add("trunc_not_zip_short.npz", b"\x93NUMPY\x01\x00v\x00", "NotAZipFile",
        "10 bytes of a bare .npy (not a zip at all)")


def holes():
    buf = mg.zip_like_numpy(base_members())
    z = parse_zip(buf)
    md = by_name(z, "metadata.npy")
    img = by_name(z, "images.npy")
    mid = img["data"] + 100
    add("hole_images_data.npz", buf[:mid] + buf[mid + 16:], "CorruptZip",
        "16 bytes cut from the images data: the end record is intact but the central directory "
        "offset now points 16 bytes past the directory start")
    add("hole_central_entry.npz", buf[:md["central"]] + buf[md["central_end"]:], "CorruptZip",
        "the metadata central entry removed, end record unchanged (count 2, size and offset stale)")
    add("hole_local_header.npz", buf[:md["local"]] + buf[md["local"] + 30:], "CorruptZip",
        "the metadata local header's 30 fixed bytes removed (directory offsets stale)")


def lies():
    buf = mg.zip_like_numpy(base_members())
    z = parse_zip(buf)
    md, img = by_name(z, "metadata.npy"), by_name(z, "images.npy")
    c, l = md["central"], md["local"]
    real = md["csize"]
    # Central sizes (what the reader trusts).
    add("lie_central_sizes_plus16.npz", put(put(buf, c + 20, "<I", real + 16), c + 24, "<I", real + 16),
        "SizeMismatch", "metadata central sizes 16 bytes too large (run into the directory): "
        "the NPY header's shape no longer matches the member size")
    add("lie_central_sizes_minus16.npz", put(put(buf, c + 20, "<I", real - 16), c + 24, "<I", real - 16),
        "SizeMismatch", "metadata central sizes 16 bytes too small")
    add("lie_central_stored_size_ne_csize.npz", put(buf, c + 24, "<I", real + 48), "CorruptZip",
        "stored metadata whose central uncompressed size differs from its compressed size")
    add("lie_central_csize_past_eof.npz", put(put(buf, c + 20, "<I", 0xFFFFFFF0), c + 24, "<I", 0xFFFFFFF0),
        "Truncated", "metadata central sizes 0xFFFFFFF0 (version 45, no zip64 extra): past the end of the file")
    add("lie_central_sizes_zero.npz", put(put(buf, c + 20, "<I", 0), c + 24, "<I", 0),
        "InvalidNpyHeader", "metadata central sizes 0: an empty member has no NPY magic")
    # Local header fields the reader ignores (sizes come from the central directory, like NumPy).
    b = put(put(buf, l + 18, "<I", 7), l + 22, "<I", 7)
    add("lie_local_sizes_ignored.npz", b, "ok",
        "metadata local header sizes say 7 bytes; the central directory is right (sizes come from it)", OK_BASE)
    add("lie_local_method_ignored.npz", put(buf, l + 8, "<H", 8), "ok",
        "metadata local header says deflate, central says stored (the central method is used)", OK_BASE)
    # Offsets.
    add("lie_central_offset_plus1.npz", put(buf, c + 42, "<I", md["local"] + 1), "CorruptZip",
        "metadata central local-header offset off by one: no local header signature there")
    add("lie_central_offset_to_images.npz", put(buf, c + 42, "<I", img["local"]), "SizeMismatch",
        "metadata central offset points at the images local header: 'metadata' reads the images "
        "array's NPY header, shape (2, 4, 2), with the metadata member's size")
    add("lie_central_offset_past_eof.npz", put(buf, c + 42, "<I", len(buf) + 1000), "Truncated",
        "metadata central offset beyond the end of the file")
    add("lie_local_extra_len_plus100.npz", put(buf, l + 28, "<H", u16(buf, l + 28) + 100), "InvalidNpyHeader",
        "metadata local extra length 100 too large: the data seems to start 100 bytes late (no NPY magic)")
    add("lie_local_extra_len_huge.npz", put(buf, l + 28, "<H", 0xFFFF), "Truncated",
        "metadata local extra length 65535: the data would start past the end of the file")
    add("lie_local_name_len_huge.npz", put(buf, l + 26, "<H", 0xFFFF), "Truncated",
        "metadata local name length 65535: the data would start past the end of the file")
    # End record.
    e = z["eocd"]
    add("lie_eocd_count_plus1.npz", put(put(buf, e + 8, "<H", 3), e + 10, "<H", 3), "CorruptZip",
        "end record says 3 members, the directory holds 2 (the third entry would be the end record)")
    add("lie_eocd_count_minus1.npz", put(put(buf, e + 8, "<H", 1), e + 10, "<H", 1), "MissingMember",
        "end record says 1 member: only images.npy is listed, metadata is not found")
    add("lie_eocd_count_ffff.npz", put(put(buf, e + 8, "<H", 0xFFFF), e + 10, "<H", 0xFFFF), "CorruptZip",
        "end record says 65535 members (the zip64 marker) without any zip64 record: more than the file can hold")
    add("lie_eocd_cd_offset_plus1.npz", put(buf, e + 16, "<I", z["cd"] + 1), "CorruptZip",
        "end record's directory offset one byte too large")
    add("lie_eocd_cd_offset_zero.npz", put(buf, e + 16, "<I", 0), "ok",
        "end record's directory offset 0: SharpZipLib treats the gap as an SFX prefix and finds the "
        "directory from the end record; member offsets are absolute, so the file reads", OK_BASE)
    add("lie_eocd_cd_size_minus1.npz", put(buf, e + 12, "<I", u32(buf, e + 12) - 1), "CorruptZip",
        "end record's directory size one byte too small: the directory is looked for one byte late")
    add("lie_eocd_cd_size_plus1000.npz", put(buf, e + 12, "<I", u32(buf, e + 12) + 1000), "ok",
        "end record's directory size too large (only the offset is used to find it)", OK_BASE)
    add("lie_eocd_comment_len.npz", put(buf, e + 20, "<H", 40), "CorruptZip",
        "end record claims a 40-byte comment that the file does not have")
    add("lie_trailing_garbage.npz", buf + b"\x00garbage after the end record" * 3, "ok",
        "90 bytes of garbage after the end record (still within the 64 KiB the end record is looked for in)",
        OK_BASE)
    add("lie_sfx_prefix.npz", b"#!/bin/sh\nexit 0\n" * 4 + buf, "CorruptZip",
        "68-byte prefix (self-extractor stub) with unadjusted offsets: the member offsets miss their local headers")


def zip64_cases():
    entries = zip_entries(base_members())
    full = mg.raw_zip(entries, local_zip64="ffff", central_zip64=True, zip64_eocd=True)
    z = parse_zip(full)
    md = by_name(z, "metadata.npy")
    c = md["central"]
    # Central entry with 0xFFFFFFFF sizes but the zip64 extra removed.
    plain = mg.raw_zip(entries, local_zip64="extra", central_zip64=False)
    zp = parse_zip(plain)
    cp = by_name(zp, "metadata.npy")["central"]
    b = put(put(plain, cp + 20, "<I", 0xFFFFFFFF), cp + 24, "<I", 0xFFFFFFFF)
    add("zip64_extra_missing_v45.npz", b, "CorruptZip",
        "metadata central sizes 0xFFFFFFFF, version needed 4.5, but no zip64 extra field")
    b = put(put(b, cp + 6, "<H", 20), cp + 4, "<H", (3 << 8) | 20)
    add("zip64_extra_missing_v20.npz", b, "Truncated",
        "metadata central sizes 0xFFFFFFFF, version 2.0, no zip64 extra: taken as 4 GiB, past the end of the file")
    # Extras with wrong values (the central extra holds usize, csize, offset).
    ext = md["central_extra"]
    add("zip64_extra_sizes_plus8.npz", put(put(full, ext + 4, "<Q", md["usize"] + 8), ext + 12, "<Q", md["csize"] + 8),
        "SizeMismatch", "metadata central zip64 extra sizes 8 bytes too large")
    add("zip64_extra_size_ne_csize.npz", put(full, ext + 4, "<Q", md["usize"] + 8), "CorruptZip",
        "stored metadata whose zip64 extra sizes disagree with each other")
    add("zip64_extra_size_2pow63.npz", put(put(full, ext + 4, "<Q", 1 << 63), ext + 12, "<Q", 1 << 63),
        "Truncated", "metadata zip64 extra sizes 2^63 (negative as a signed 64-bit size)")
    add("zip64_extra_size_2pow62.npz", put(put(full, ext + 4, "<Q", 1 << 62), ext + 12, "<Q", 1 << 62),
        "Truncated", "metadata zip64 extra sizes 2^62: past the end of the file")
    add("zip64_extra_offset_wrong.npz", put(full, ext + 20, "<Q", md["local"] + 3), "CorruptZip",
        "metadata zip64 extra local-header offset 3 bytes off")
    add("zip64_extra_offset_2pow63.npz", put(full, ext + 20, "<Q", 1 << 63), "Truncated",
        "metadata zip64 extra local-header offset 2^63 (negative as signed)")
    # Extra field shorter than the 0xFFFFFFFF fields require: only usize present.
    short = bytearray(full)
    struct.pack_into("<H", short, ext + 2, 8)                       # zip64 extra data size 24 -> 8
    add("zip64_extra_short.npz", bytes(short), "CorruptZip",
        "metadata central zip64 extra declares 8 bytes but sizes and offset are all 0xFFFFFFFF")
    # Extra field length running past the central entry.
    add("zip64_extra_len_overrun.npz", put(full, ext + 2, "<H", 200), "CorruptZip",
        "metadata central zip64 extra claims 200 bytes inside a 28-byte extra field")
    # Local zip64 extra lying: ignored (central values are used).
    lx = md["local_extra"]
    add("zip64_local_extra_lies_ignored.npz", put(put(full, lx + 4, "<Q", 5), lx + 12, "<Q", 5), "ok",
        "metadata local zip64 extra says 5 bytes; the central zip64 extra is right", OK_BASE)
    # zip64 end record / locator.
    loc, z64 = z["zip64_locator"], z["zip64_end"]
    add("zip64_locator_offset_wrong.npz", put(full, loc + 8, "<Q", z64 + 1), "CorruptZip",
        "zip64 locator points one byte past the zip64 end record")
    add("zip64_locator_offset_past_eof.npz", put(full, loc + 8, "<Q", 1 << 40), "CorruptZip",
        "zip64 locator points 1 TiB into a tiny file")
    add("zip64_end_cd_offset_wrong.npz", put(full, z64 + 48, "<Q", z["cd"] + 2), "CorruptZip",
        "zip64 end record's directory offset 2 bytes off")
    add("zip64_end_cd_offset_2pow63.npz", put(full, z64 + 48, "<Q", 1 << 63), "CorruptZip",
        "zip64 end record's directory offset 2^63 (negative as signed)")
    add("zip64_end_count_3.npz", put(put(full, z64 + 24, "<Q", 3), z64 + 32, "<Q", 3), "CorruptZip",
        "zip64 end record says 3 members, the directory holds 2")
    add("zip64_end_signature_damaged.npz", put(full, z64, "<I", 0x06064b51), "CorruptZip",
        "zip64 end record signature damaged (the locator points at garbage)")
    b = full[:loc] + full[z["eocd"]:]
    add("zip64_locator_missing.npz", b, "CorruptZip",
        "saturated classic end record (0xFFFF members) but no zip64 locator before it")


def duplicates():
    md2 = mg.npy_bytes(MD[::-1].copy())
    add("dup_metadata.npz", mg.zip_like_numpy([("images.npy", IMG_NPY), ("metadata.npy", MD_NPY),
                                               ("metadata.npy", md2)]),
        "CorruptZip", "two members named metadata.npy with different contents (which one is meant?)")
    add("dup_images.npz", mg.zip_like_numpy([("images.npy", IMG_NPY), ("images.npy", IMG_NPY),
                                             ("metadata.npy", MD_NPY)]),
        "CorruptZip", "two identical members named images.npy")
    add("dup_extra_member.npz", mg.zip_like_numpy([("images.npy", IMG_NPY), ("metadata.npy", MD_NPY),
                                                   ("labels.npy", MD_NPY), ("labels.npy", MD_NPY)]),
        "CorruptZip", "a duplicated extra member (labels.npy twice)")


def with_md(md_bytes, img_bytes=IMG_NPY):
    """A valid zip (correct CRCs) whose metadata.npy is md_bytes."""
    return mg.zip_like_numpy([("images.npy", img_bytes), ("metadata.npy", md_bytes)])


def header_lengths():
    payload = MD.tobytes()
    npy = MD_NPY
    (hlen,) = struct.unpack_from("<H", npy, 8)
    add("hdrlen_v1_past_member.npz", with_md(npy[:8] + struct.pack("<H", len(npy))  + npy[10:]),
        "InvalidNpyHeader", "NPY 1.0 header length = the member's size: the header runs past the member end")
    add("hdrlen_v1_into_data.npz", with_md(npy[:8] + struct.pack("<H", hlen + 16) + npy[10:]),
        "InvalidNpyHeader", "NPY 1.0 header length 16 too large: the dict text swallows 16 data bytes")
    brace = npy.index(b"}")
    add("hdrlen_v1_short.npz", with_md(npy[:8] + struct.pack("<H", brace - 10 - 8) + npy[10:]),
        "InvalidNpyHeader", "NPY 1.0 header length too small: the dict text is cut 8 bytes before its closing brace")
    add("hdrlen_v1_short_padding.npz", with_md(npy[:8] + struct.pack("<H", hlen - 20) + npy[10:]),
        "SizeMismatch", "NPY 1.0 header length 20 too small, the dict still whole: 20 padding bytes "
        "count as data, which then does not match the shape")
    add("hdrlen_v1_zero.npz", with_md(npy[:8] + struct.pack("<H", 0) + npy[10:]),
        "InvalidNpyHeader", "NPY 1.0 header length 0")
    v2 = mg.npy_bytes(MD, (2, 0))
    add("hdrlen_v2_ffffffff.npz", with_md(v2[:8] + struct.pack("<I", 0xFFFFFFFF) + v2[12:]),
        "InvalidNpyHeader", "NPY 2.0 header length 0xFFFFFFFF")
    add("hdrlen_v2_10001.npz", with_md(mg.npy_handmade(md_header() + " " * (10001 - len(md_header()) - 1) + "\n",
                                                       payload, version=(2, 0), align=None)),
        "InvalidNpyHeader", "NPY 2.0 header of 10,001 bytes (the limit is 10,000)")
    add("hdrlen_v2_10000_ok.npz", with_md(mg.npy_handmade(md_header() + " " * (10000 - len(md_header()) - 1) + "\n",
                                                          payload, version=(2, 0), align=None)),
        "ok", "NPY 2.0 header of exactly 10,000 bytes (the limit): accepted", OK_BASE)
    add("hdrlen_member_shorter_than_preamble.npz", with_md(npy[:9]), "InvalidNpyHeader",
        "metadata member of 9 bytes: magic, version and half a length field")
    add("hdrlen_v2_member_11_bytes.npz", with_md(v2[:11]), "InvalidNpyHeader",
        "NPY 2.0 metadata member of 11 bytes: the 4-byte header length is cut")


def header_text():
    payload = MD.tobytes()

    def hdr(name, text, code, what, version=(1, 0), expect=None, data=payload, images=IMG_NPY):
        add(f"hdr_{name}.npz", with_md(mg.npy_handmade(text, data, version=version), images), code, what, expect)

    # Zero clusters: no data bytes vouch for the other dimensions, so only the header checks stand
    # between a claim and an allocation sized by it.
    no_images = mg.npy_bytes(np.zeros((0, 4, 2), f32))

    hdr("unbalanced_shape_open", md_header(shape="(2, 12"), "InvalidNpyHeader", "shape '(2, 12' never closed")
    hdr("unbalanced_shape_close", md_header(shape="(2, 12))"), "InvalidNpyHeader", "shape '(2, 12))' closes twice")
    hdr("mismatched_brackets", md_header(shape="[2, 12)"), "InvalidNpyHeader", "shape '[2, 12)'")
    hdr("no_closing_brace", md_header()[:-1], "InvalidNpyHeader", "dict without its closing brace")
    hdr("two_dicts", md_header() + md_header(), "InvalidNpyHeader", "two dicts one after the other")
    hdr("nested_brace", "{" + md_header(), "InvalidNpyHeader", "'{{' : a dict as a key")
    hdr("unterminated_string", "{'descr': '<f4, 'fortran_order': False, 'shape': (2, 12), }",
        "InvalidNpyHeader", "descr string never closed (swallows the rest of the header)")
    hdr("deep_nesting", md_header(shape="(" * 40 + "2" + ",)" * 40), "InvalidNpyHeader",
        "shape nested 40 tuples deep")
    hdr("empty_dict", "{}", "InvalidNpyHeader", "an empty dict")
    hdr("not_a_dict", "[('descr', '<f4')]", "InvalidNpyHeader", "a list instead of a dict")
    hdr("empty_text", "", "InvalidNpyHeader", "nothing but padding after the preamble")
    # Numbers.
    hdr("dim_20_digits", md_header(shape="(99999999999999999999, 12)"), "InvalidShape",
        "a 20-digit dimension (beyond 64 bits)")
    hdr("dim_2pow63", md_header(shape="(9223372036854775808, 12)"), "InvalidShape",
        "dimension 2^63 (one past the largest 64-bit integer)")
    hdr("dim_2pow62_rows", md_header(shape="(4611686018427387904, 12)"), "InvalidShape",
        "2^62 rows of 12 float32: the byte count overflows 64 bits")
    hdr("dim_zero_rows_2pow62_cols", md_header(shape="(0, 4611686018427387904)"), "InvalidShape",
        "0 rows of 2^62 columns: no data bytes, but the row size overflows (NumPy: 'array is too big')", data=b"", images=no_images)
    hdr("dim_zero_rows_huge_cols", md_header(shape="(0, 1099511627776)"), "InvalidShape",
        "0 rows of 2^40 columns: no data, but no metadata table has 2^40 columns", data=b"", images=no_images)
    hdr("dim_zero_rows_100000_cols", md_header(shape="(0, 100000)"), "InvalidShape",
        "0 rows of 100,000 columns (more than the 65,536 accepted)", data=b"", images=no_images)
    hdr("dim_zero_rows_3e9_cols", md_header(shape="(0, 3000000000)"), "InvalidShape",
        "0 rows of 3e9 columns (beyond a 32-bit int)", data=b"", images=no_images)
    hdr("dim_zero_rows_2pow28_cols", md_header(shape="(0, 268435456)"), "InvalidShape",
        "0 rows of 2^28 columns (a per-row buffer of 1 GiB)", data=b"", images=no_images)
    hdr("dim_negative_zero", md_header(shape="(2, -0)"), "InvalidShape", "shape (2, -0): zero columns", data=b"")
    hdr("dim_plus_sign", md_header(shape="(+2, 12)"), "InvalidNpyHeader", "dimension written '+2'")
    hdr("dim_hex", md_header(shape="(0x2, 12)"), "InvalidNpyHeader", "dimension written '0x2'")
    hdr("dim_float", md_header(shape="(2.0, 12)"), "InvalidNpyHeader", "dimension written '2.0'")
    hdr("dim_bool", md_header(shape="(True, 12)"), "InvalidNpyHeader", "dimension True")
    hdr("dim_none", md_header(shape="(None, 12)"), "InvalidNpyHeader", "dimension None")
    hdr("dim_string", md_header(shape="('2', 12)"), "InvalidNpyHeader", "dimension '2' (a string)")
    hdr("dim_tuple", md_header(shape="((2, 12),)"), "InvalidNpyHeader", "shape ((2, 12),): a tuple in a tuple")
    hdr("dim_minus_only", md_header(shape="(-, 12)"), "InvalidNpyHeader", "dimension '-'")
    hdr("dim_unicode_digits", md_header(shape="(\u0662, 12)"), "InvalidNpyHeader",
        "NPY 3.0 (UTF-8) dimension written with an Arabic-Indic digit two (not a Python literal digit; "
        "not a number out of range either)", version=(3, 0))
    hdr("shape_scalar", md_header(shape="()"), "InvalidShape", "shape (): a 0-d metadata array", data=payload[:4])
    hdr("shape_int", md_header(shape="24"), "InvalidNpyHeader", "shape 24 (an int, not a tuple)")
    hdr("shape_string", md_header(shape="'(2, 12)'"), "InvalidNpyHeader", "shape '(2, 12)' (a string)")
    hdr("shape_none", md_header(shape="None"), "InvalidNpyHeader", "shape None")
    hdr("shape_list_accepted", md_header(shape="[2, 12]"), "ok",
        "shape [2, 12] (a list): accepted like a tuple (ClusterPS is lenient here; NumPy is not)", expect=OK_BASE)
    hdr("shape_3d_metadata", md_header(shape="(2, 3, 4)"), "InvalidShape", "metadata shape (2, 3, 4)")
    # Keys.
    hdr("missing_descr", "{'fortran_order': False, 'shape': (2, 12), }", "InvalidNpyHeader", "no 'descr' key")
    hdr("missing_fortran", "{'descr': '<f4', 'shape': (2, 12), }", "InvalidNpyHeader", "no 'fortran_order' key")
    hdr("duplicate_key", "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 12), }",
        "InvalidNpyHeader", "'descr' twice")
    hdr("key_not_string", "{1: '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 12), }",
        "InvalidNpyHeader", "an integer key")
    hdr("extra_key_accepted", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 12), 'x': 1, }", "ok",
        "an unknown fourth key: ignored (NumPy would refuse it)", expect=OK_BASE)
    hdr("key_case", "{'Descr': '<f4', 'fortran_order': False, 'shape': (2, 12), }", "InvalidNpyHeader",
        "'Descr' instead of 'descr'")
    # Types.
    hdr("descr_int", md_header(descr="5"), "InvalidNpyHeader", "descr 5 (an int)")
    hdr("descr_none", md_header(descr="None"), "InvalidNpyHeader", "descr None")
    hdr("descr_bool", md_header(descr="True"), "InvalidNpyHeader", "descr True")
    hdr("descr_list_of_str", md_header(descr="['<f4']"), "UnsupportedDType", "descr ['<f4'] (a list: structured)")
    hdr("descr_empty", md_header(descr="''"), "UnsupportedDType", "descr ''")
    hdr("descr_order_only", md_header(descr="'<'"), "UnsupportedDType", "descr '<'")
    hdr("descr_no_size", md_header(descr="'<f'"), "UnsupportedDType", "descr '<f' (no item size)")
    hdr("descr_size_3", md_header(descr="'<i3'"), "UnsupportedDType", "descr '<i3'")
    hdr("descr_size_huge", md_header(descr="'<f99999999999999'"), "UnsupportedDType", "descr '<f99999999999999'")
    hdr("descr_size_zero", md_header(descr="'<f0'"), "UnsupportedDType", "descr '<f0'")
    hdr("descr_uppercase", md_header(descr="'<F4'"), "UnsupportedDType", "descr '<F4'")
    hdr("descr_trailing_space", md_header(descr="'<f4 '"), "UnsupportedDType", "descr '<f4 ' (trailing space)")
    hdr("descr_native_order", md_header(descr="'=f4'"), "ok", "descr '=f4' (native order)", expect=OK_BASE)
    hdr("descr_no_order", md_header(descr="'f4'"), "ok", "descr 'f4' (no byte-order character)", expect=OK_BASE)
    hdr("fortran_string", md_header(fortran="'False'"), "InvalidNpyHeader", "fortran_order 'False' (a string)")
    hdr("fortran_int", md_header(fortran="0"), "InvalidNpyHeader", "fortran_order 0")
    hdr("fortran_none", md_header(fortran="None"), "InvalidNpyHeader", "fortran_order None")
    hdr("fortran_lowercase", md_header(fortran="false"), "InvalidNpyHeader", "fortran_order false (lower case)")
    # Encoding and versions.
    hdr("latin1_byte", md_header().replace("'descr'", "'d\u00e9scr'"), "InvalidNpyHeader",
        "NPY 1.0 header with a Latin-1 byte (0xE9) in a key: the 'descr' key is missing")
    v3 = mg.npy_handmade(md_header(), payload, version=(3, 0))
    add("hdr_v3_invalid_utf8.npz", with_md(v3[:20] + b"\xff\xfe" + v3[22:]),
        "InvalidNpyHeader", "NPY 3.0 header with invalid UTF-8 bytes (0xFF 0xFE) in place of two characters")
    npy = MD_NPY
    add("hdr_version_1_1.npz", with_md(npy[:7] + b"\x01" + npy[8:]), "InvalidNpyHeader", "NPY format version 1.1")
    add("hdr_version_0_0.npz", with_md(npy[:6] + b"\x00\x00" + npy[8:]), "InvalidNpyHeader", "NPY format version 0.0")
    add("hdr_version_4_0.npz", with_md(npy[:6] + b"\x04\x00" + npy[8:]), "InvalidNpyHeader", "NPY format version 4.0")
    # Images header edits.
    img_pl = IMG.tobytes()

    def img_hdr(name, text, code, what, data=img_pl):
        md = MD_NPY if data else mg.npy_bytes(np.zeros((0, 12), f32))
        add(f"hdr_images_{name}.npz", with_md(md, mg.npy_handmade(text, data)), code, what)

    img_hdr("2pow40_clusters", "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 4, 2), }",
            "SizeMismatch", "images header claims 2^40 clusters of 4 x 2 (the member holds 2)")
    img_hdr("zero_ticks", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 0, 2), }", "InvalidShape",
            "images shape (2, 0, 2)", data=b"")
    img_hdr("side_65537", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 65537, 1), }", "InvalidShape",
            "0 images of 65,537 x 1 (a side over 65,536)", data=b"")
    img_hdr("pixels_2pow32", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 65536, 65536), }",
            "InvalidShape", "0 images of 65,536 x 65,536 (2^32 pixels each: overflows a 32-bit pixel count)",
            data=b"")
    img_hdr("pixels_2pow31", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 32768, 65536), }",
            "InvalidShape", "0 images of 32,768 x 65,536 (2^31 pixels each)", data=b"")
    img_hdr("pixels_2pow25_u1", "{'descr': '|u1', 'fortran_order': False, 'shape': (0, 8192, 4096), }",
            "InvalidShape", "0 images of 8192 x 4096 (2^25 pixels, over the 2^24 accepted)", data=b"")
    img_hdr("4d", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 2, 1), }", "InvalidShape",
            "images shape (2, 4, 2, 1)")


# (name, images-or-metadata values, descr) for every dtype NumPy can write.
def int_metadata(n, unsigned=False, big=None, plane=2):
    idx = np.arange(n)
    md = np.zeros((n, 12), dtype=np.float64)
    md[:, 0] = idx % 2 == 0
    md[:, 1] = idx % 3 == 0
    md[:, 2] = [17, 100][:n] if unsigned else [-17, 100][:n]
    md[:, 3] = [3, 120][:n] if unsigned else [-120, 3][:n]
    md[:, 4] = [0, 127][:n]
    md[:, 5:8] = [(1, 0, 0), (0, 1, 0)][:n] if unsigned else [(-1, 0, 0), (0, 0, 1)][:n]
    md[:, 8] = [20, 5][:n] if unsigned else [20, -1][:n]
    md[:, 9] = [7, 40][:n]
    md[:, 10] = plane
    md[:, 11] = [1, 0][:n]
    if big is not None:
        md[0, 2] = big
    return md


def dtypes():
    n = 2
    ok_meta = [
        ("bool", "|b1", (lambda: np.clip(int_metadata(n, True, plane=1), 0, 1)), "bool (0/1), plane V"),
        ("int8", "|i1", (lambda: int_metadata(n)), "int8"),
        ("int16", "<i2", (lambda: int_metadata(n)), "int16"),
        ("int32_be", ">i4", (lambda: int_metadata(n)), "big-endian int32"),
        ("int64", "<i8", (lambda: int_metadata(n, big=-(2 ** 40))), "int64 with -2^40"),
        ("int64_be", ">i8", (lambda: int_metadata(n, big=2 ** 53)), "big-endian int64 with 2^53"),
        ("uint8", "|u1", (lambda: int_metadata(n, True)), "uint8"),
        ("uint16", "<u2", (lambda: int_metadata(n, True)), "uint16"),
        ("uint16_be", ">u2", (lambda: int_metadata(n, True)), "big-endian uint16"),
        ("uint32", "<u4", (lambda: int_metadata(n, True, big=2 ** 31)), "uint32 with 2^31"),
        ("uint64", "<u8", (lambda: int_metadata(n, True, big=2 ** 63)), "uint64 with 2^63"),
        ("uint64_be", ">u8", (lambda: int_metadata(n, True, big=2 ** 40)), "big-endian uint64 with 2^40"),
        ("float16", "<f2", (lambda: MD.astype(np.float16).astype(np.float64)), "float16 (values rounded to half)"),
        ("float16_be", ">f2", (lambda: MD.astype(np.float16).astype(np.float64)), "big-endian float16"),
        ("float32", "<f4", (lambda: MD), "float32"),
        ("float64_be", ">f8", (lambda: MD.astype(np.float64)), "big-endian float64"),
    ]
    for name, descr, values, what in ok_meta:
        v = values()
        md = v.astype(descr)
        add(f"dtype_metadata_{name}.npz", with_md(mg.npy_bytes(md)), "ok",
            f"metadata of dtype '{md.dtype.str}' ({what}); images float32", expect_for(IMG, md.astype(f32)))
    img_base = np.array([[[0, 1], [2, 0], [0, 0], [3, 1]],
                         [[0, 0], [0, 4], [100, 1], [0, 0]]], dtype=np.float64)
    signed = img_base * np.array([1, -1])                      # channel 1 negative
    half = np.array([[[0, 0.5], [2 ** -24, 0], [65504, 0], [-2.5, 1]],
                     [[0, 0], [0, -0.0], [100, 2 ** -14], [0, 0]]])
    ok_images = [
        ("bool", "|b1", img_base != 0, "bool"),
        ("int8", "|i1", signed, "int8 (negative values)"),
        ("int16_be", ">i2", signed, "big-endian int16"),
        ("int32", "<i4", signed, "int32"),
        ("int64", "<i8", signed * (2 ** 40), "int64 (values up to 100 * 2^40)"),
        ("uint8", "|u1", img_base * 2, "uint8 (up to 200)"),
        ("uint16_be", ">u2", img_base * 600, "big-endian uint16 (up to 60000)"),
        ("uint32", "<u4", img_base * 2 ** 24, "uint32 (up to 100 * 2^24)"),
        ("uint64", "<u8", img_base * 2 ** 62 / 128, "uint64 (up to 100 * 2^55)"),
        ("float16", "<f2", half, "float16: subnormal 2^-24, max 65504, -0.0, 2^-14"),
        ("float16_be", ">f2", half, "big-endian float16"),
        ("float32_be", ">f4", IMG, "big-endian float32"),
        ("float64", "<f8", IMG.astype(np.float64), "float64"),
    ]
    for name, descr, values, what in ok_images:
        img = np.asarray(values).astype(descr)
        add(f"dtype_images_{name}.npz", with_md(MD_NPY, mg.npy_bytes(img)), "ok",
            f"images of dtype '{img.dtype.str}' ({what}); metadata float32", expect_for(img.astype(f32), MD))
    # Fortran order with a converted dtype.
    img = np.asfortranarray(signed.astype("<i2"))
    add("dtype_images_int16_fortran.npz", with_md(MD_NPY, mg.npy_bytes(img)), "ok",
        "int16 images in Fortran order", expect_for(img.astype(f32), MD))
    md = np.asfortranarray(int_metadata(n).astype(">i8"))
    add("dtype_metadata_int64_be_fortran.npz", with_md(mg.npy_bytes(md)), "ok",
        "big-endian int64 metadata in Fortran order", expect_for(IMG, md.astype(f32)))

    # Dtypes ClusterPS refuses (metadata and images).
    bad = [
        ("complex64", lambda a: a.astype("<c8"), "complex64"),
        ("complex128", lambda a: a.astype("<c16"), "complex128"),
        ("longdouble", lambda a: a.astype(np.longdouble), "long double (float128 on x86-64: '<f16')"),
        ("datetime64", lambda a: a.astype(np.int64).astype("<M8[s]"), "datetime64[s]"),
        ("timedelta64", lambda a: a.astype(np.int64).astype("<m8[ms]"), "timedelta64[ms]"),
        ("bytes", lambda a: a.astype("|S8"), "bytes |S8"),
        ("str", lambda a: a.astype("<U8"), "str <U8"),
        ("void", lambda a: np.ascontiguousarray(a).view("|V4").reshape(a.shape), "void |V4"),
        ("object", lambda a: a.astype(object), "object (pickled: must never be unpickled)"),
        ("structured", lambda a: np.ascontiguousarray(a).view([("v", "<f4")]).reshape(a.shape),
         "structured [('v', '<f4')]"),
    ]
    for name, conv, what in bad:
        md = conv(MD)
        add(f"dtype_metadata_{name}.npz", with_md(mg.npy_bytes(md)), "UnsupportedDType",
            f"metadata of dtype '{md.dtype.str if md.dtype.names is None else md.dtype.descr}' ({what})")
        img = conv(IMG)
        add(f"dtype_images_{name}.npz", with_md(MD_NPY, mg.npy_bytes(img)), "UnsupportedDType",
            f"images of dtype '{img.dtype.str if img.dtype.names is None else img.dtype.descr}' ({what}); metadata valid")


def deflate_cases():
    entries = zip_entries(base_members(), method=8)
    good = mg.raw_zip(entries, local_zip64=None)
    add("deflate_00_valid.npz", good, "ok", "both members deflated (reference for this group)", OK_BASE)
    z = parse_zip(good)
    im = by_name(z, "images.npy")
    # Corrupt an images stream far past its NPY header: 64 clusters, the damage near the end, so it
    # is met while rows are read (the selector, the image loader, the audit), not while opening.
    rng = np.random.default_rng(77)
    img64 = (rng.integers(0, 800, (64, 4, 2)) / 8).astype(f32)
    md64 = mg.seed12_metadata(rng, 64, 2)
    img64_npy = mg.npy_bytes(img64)
    e64 = zip_entries([("images.npy", img64_npy), ("metadata.npy", mg.npy_bytes(md64))], method=8)
    good64 = mg.raw_zip(e64, local_zip64=None)
    im64 = by_name(parse_zip(good64), "images.npy")
    stream = good64[im64["data"]:im64["data_end"]]
    chosen = None
    for pos in range(len(stream) * 3 // 4, len(stream) - 2):
        for pattern in (b"\xff\xff", b"\x00\x00", b"\xde\xad"):
            cand = stream[:pos] + pattern + stream[pos + 2:]
            d = zlib.decompressobj(-15)
            out = b""
            try:
                for i in range(0, len(cand), 16):
                    out += d.decompress(cand[i:i + 16])
            except zlib.error:
                if len(out) > len(img64_npy) // 2:
                    chosen = good64[:im64["data"] + pos] + pattern + good64[im64["data"] + pos + 2:]
                break
        if chosen:
            break
    assert chosen
    add("deflate_images_corrupt_in_rows.npz", chosen, "CorruptData",
        "64 clusters; the images deflate stream is damaged past half its output: the inflater fails "
        "while rows are read (its InvalidDataException must not escape the row readers)")
    add("deflate_00_valid_64.npz", good64, "ok", "the undamaged 64-cluster deflate file", expect_for(img64, md64))
    # A stream that ends early: central sizes promise more than it inflates to.
    img_short = IMG_NPY[:-16]
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = c.compress(img_short) + c.flush()
    e = [dict(name="images.npy", payload=payload, method=8, crc=zlib.crc32(IMG_NPY), usize=len(IMG_NPY)),
         entries[1]]
    add("deflate_images_ends_early.npz", mg.raw_zip(e, local_zip64=None), "CorruptData",
        "images deflate stream complete but 16 bytes short of the declared size")
    # Not deflate at all: the stored bytes labelled as deflate (first bytes decode as a stored/invalid block).
    e = [dict(name="images.npy", payload=b"\xff" * 64 + IMG_NPY, method=8, crc=zlib.crc32(IMG_NPY), usize=len(IMG_NPY)),
         entries[1]]
    add("deflate_images_not_deflate.npz", mg.raw_zip(e, local_zip64=None), "CorruptData",
        "images labelled deflate whose data starts with 0xFF bytes (an invalid block type)")
    # Truncated deflate stream inside an intact zip (csize smaller than the stream).
    half = payload[:len(payload) // 2]
    e = [dict(name="images.npy", payload=half, method=8, crc=zlib.crc32(IMG_NPY), usize=len(IMG_NPY)), entries[1]]
    add("deflate_images_stream_cut.npz", mg.raw_zip(e, local_zip64=None), "CorruptData",
        "images deflate stream cut in half (the zip around it is consistent)")
    # CRC mismatch of a deflated member (only the verifying read finds it).
    e = [dict(entries[0], crc=entries[0]["crc"] ^ 1), entries[1]]
    add("deflate_images_bad_crc.npz", mg.raw_zip(e, local_zip64=None), "ChecksumMismatch",
        "images deflate data intact, central CRC-32 off by one bit")
    # Sizes claiming more than deflate can produce (ratio over 1032:1), refused up front.
    e = [dict(entries[0], usize=len(entries[0]["payload"]) * 1100 + 2048), entries[1]]
    add("deflate_ratio_impossible.npz", mg.raw_zip(e, local_zip64=None), "InflateLimit",
        "images central size is 1100 times its compressed size: no deflate stream can do that")
    # The bomb: 1 GiB of zeros after a valid 2-cluster images array, ~1 MB compressed; the headers
    # declare only the real array (header + 64 bytes). Built from full-flushed 1 MiB chunks so it
    # takes a second to make.
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    head = c.compress(IMG_NPY) + c.flush(zlib.Z_FULL_FLUSH)
    c2 = zlib.compressobj(6, zlib.DEFLATED, -15)
    chunk = c2.compress(bytes(1 << 20)) + c2.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(6, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    bomb = head + chunk * 1024 + tail
    e = [dict(name="images.npy", payload=bomb, method=8, crc=zlib.crc32(IMG_NPY), usize=len(IMG_NPY)), entries[1]]
    data = mg.raw_zip(e, local_zip64=None)
    check = zlib.decompressobj(-15)
    assert check.decompress(bomb[:len(head) + len(chunk) * 2], 1 << 22)[:len(IMG_NPY)] == IMG_NPY
    add("deflate_bomb_1gib.npz", data, "InflateLimit",
        f"images deflate stream ({len(bomb):,} bytes) inflates to {len(IMG_NPY)} + 1 GiB bytes of zeros; "
        f"both headers declare {len(IMG_NPY)} (CRC of those): stop at the promised size and refuse")


def huge_cases():
    payload = MD.tobytes()
    add("huge_metadata_2pow40_clusters.npz",
        with_md(mg.npy_handmade(md_header(shape="(1099511627776, 12)"), payload),
                mg.npy_handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 4, 2), }",
                                IMG.tobytes())),
        "SizeMismatch", "metadata and images headers both claim 2^40 clusters; the members hold 2")
    # The zip directory agrees with the 2^40 claim (stored): sizes past the end of the file.
    md_npy = mg.npy_handmade(md_header(shape="(1099511627776, 12)"), payload)
    claim = len(md_npy) - len(payload) + (1 << 40) * 48
    e = [mg.stored_entry("images.npy", IMG_NPY),
         dict(name="metadata.npy", payload=md_npy, method=0, crc=zlib.crc32(md_npy), usize=claim, csize=claim)]
    add("huge_metadata_2pow40_zip_agrees.npz", mg.raw_zip(e, local_zip64="ffff", central_zip64=True),
        "Truncated", "metadata claims 2^40 clusters in its NPY header and in its zip64 sizes (stored): "
        "48 TiB in a tiny file")
    # Deflated, with the zip64 sizes agreeing: more than deflate can produce from the bytes present.
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    comp = c.compress(md_npy) + c.flush()
    e = [mg.stored_entry("images.npy", IMG_NPY),
         dict(name="metadata.npy", payload=comp, method=8, crc=zlib.crc32(md_npy), usize=claim)]
    add("huge_metadata_2pow40_deflate.npz", mg.raw_zip(e, local_zip64="ffff", central_zip64=True),
        "InflateLimit", "deflated metadata claiming 2^40 clusters, zip64 size 48 TiB from a few hundred bytes")
    # Directory entry counts.
    full = mg.raw_zip(zip_entries(base_members()), local_zip64="ffff", central_zip64=True, zip64_eocd=True)
    z = parse_zip(full)
    z64 = z["zip64_end"]
    add("huge_zip64_count_2pow40.npz", put(put(full, z64 + 24, "<Q", 1 << 40), z64 + 32, "<Q", 1 << 40),
        "CorruptZip", "zip64 end record claims 2^40 members: the entry table must not be allocated")
    add("huge_zip64_count_2pow27.npz", put(put(full, z64 + 24, "<Q", 1 << 27), z64 + 32, "<Q", 1 << 27),
        "CorruptZip", "zip64 end record claims 2^27 members (a 1 GiB entry table) in a tiny file")
    add("huge_zip64_count_2pow64_minus1.npz",
        put(put(full, z64 + 24, "<Q", (1 << 64) - 1), z64 + 32, "<Q", (1 << 64) - 1),
        "CorruptZip", "zip64 end record claims 2^64 - 1 members")


def member_cases():
    add("member_metadata_is_directory.npz",
        mg.zip_like_numpy([("images.npy", IMG_NPY), ("metadata.npy/", b"")]), "MissingMember",
        "'metadata.npy/' is a directory entry, not an array")
    add("member_metadata_in_folder.npz",
        mg.zip_like_numpy([("images.npy", IMG_NPY), ("sub/metadata.npy", MD_NPY)]), "MissingMember",
        "metadata only as 'sub/metadata.npy' (NumPy calls that array 'sub/metadata')")
    add("member_many_extras.npz",
        mg.zip_like_numpy([("images.npy", IMG_NPY), ("metadata.npy", MD_NPY)]
                          + [(f"x{i}.npy", b"") for i in range(300)]), "ok",
        "300 empty extra members (not arrays at all): ignored", OK_BASE)
    add("member_metadata_empty.npz", mg.zip_like_numpy([("images.npy", IMG_NPY), ("metadata.npy", b"")]),
        "InvalidNpyHeader", "metadata.npy is an empty member")
    add("member_metadata_not_npy.npz",
        mg.zip_like_numpy([("images.npy", IMG_NPY), ("metadata.npy", b"PK\x03\x04 a zip inside?")]),
        "InvalidNpyHeader", "metadata.npy holds bytes that are not NPY")
    e = zip_entries(base_members())
    e[0] = dict(e[0], method=12)
    add("member_images_bzip2.npz", mg.raw_zip(e, local_zip64=None), "CorruptZip",
        "images member uses compression method 12 (bzip2)")
    e = zip_entries(base_members())
    b = mg.raw_zip(e, local_zip64=None)
    z = parse_zip(b)
    im = by_name(z, "images.npy")
    b = put(put(b, im["local"] + 6, "<H", 1), im["central"] + 8, "<H", 1)
    add("member_images_encrypted.npz", b, "CorruptZip", "images member has the encrypted flag")
    img3 = np.concatenate([IMG, IMG[:1]])
    add("member_row_mismatch_images_more.npz", with_md(MD_NPY, mg.npy_bytes(img3)), "RowCountMismatch",
        "images has 3 clusters, metadata 2 rows")
    add("member_images_metadata_swapped.npz",
        mg.zip_like_numpy([("images.npy", MD_NPY), ("metadata.npy", IMG_NPY)]), "InvalidShape",
        "the two arrays stored under each other's names (metadata is then 3-D)")


def main():
    warnings.filterwarnings("ignore", message="Duplicate name")
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    truncations()
    holes()
    lies()
    zip64_cases()
    duplicates()
    header_lengths()
    header_text()
    dtypes()
    deflate_cases()
    huge_cases()
    member_cases()
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        f.write("[\n" + ",\n".join("  " + json.dumps(c) for c in CASES) + "\n]\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    codes = {}
    for c in CASES:
        codes[c["code"]] = codes.get(c["code"], 0) + 1
    print(f"{len(CASES)} cases, {total:,} bytes in {OUT}")
    print("  " + ", ".join(f"{k} {v}" for k, v in sorted(codes.items())))
    assert total < 4_000_000, total


if __name__ == "__main__":
    main()
