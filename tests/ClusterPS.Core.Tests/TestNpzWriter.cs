using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace ClusterPS.Tests
{
    /// <summary>Builds .npy member bytes the way NumPy writes them (and a few ways it does not).</summary>
    internal static class TestNpy
    {
        public static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

        /// <summary>NumPy's header dict text: "{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 12), }".</summary>
        public static string Dict(string descr, bool fortranOrder, params long[] shape) =>
            "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': " + ShapeText(shape) + ", }";

        public static string ShapeText(long[] shape) =>
            "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (shape.Length == 1 ? ",)" : ")");

        /// <summary>
        /// Magic, version (major.0), header length (2 bytes for v1, 4 for v2/v3) and the dict text. With
        /// <paramref name="pad"/> the text is padded with spaces and ended with '\n' so the total is a multiple of 64,
        /// as NumPy does; otherwise it is written exactly as given.
        /// </summary>
        public static byte[] Header(string dictText, int major = 1, bool pad = true, int minor = 0)
        {
            Encoding encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
            int preamble = major == 1 ? 10 : 12;
            byte[] text = encoding.GetBytes(dictText);
            int length = text.Length;
            if (pad)
            {
                length = text.Length + 1; // the final '\n'
                int rem = (preamble + length) % 64;
                if (rem != 0) length += 64 - rem;
            }

            var header = new byte[preamble + length];
            Magic.CopyTo(header, 0);
            header[6] = (byte)major;
            header[7] = (byte)minor;
            if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), checked((ushort)length));
            else BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)length);
            text.CopyTo(header, preamble);
            if (pad)
            {
                for (int i = preamble + text.Length; i < header.Length - 1; i++) header[i] = (byte)' ';
                header[^1] = (byte)'\n';
            }

            return header;
        }

        /// <summary>The data bytes of C-order <paramref name="values"/> in the given dtype ('&lt;f4', '&gt;f4', '&lt;f8', '&gt;f8') and order.</summary>
        public static byte[] Data(float[] values, long[] shape, string descr = "<f4", bool fortranOrder = false)
        {
            float[] ordered = fortranOrder ? ToFortranOrder(values, shape) : values;
            bool big = descr[0] == '>';
            int size = descr.EndsWith("8", StringComparison.Ordinal) ? 8 : 4;
            var bytes = new byte[ordered.Length * size];
            for (int i = 0; i < ordered.Length; i++)
            {
                Span<byte> b = bytes.AsSpan(i * size, size);
                if (size == 4)
                {
                    int bits = BitConverter.SingleToInt32Bits(ordered[i]);
                    if (big) BinaryPrimitives.WriteInt32BigEndian(b, bits);
                    else BinaryPrimitives.WriteInt32LittleEndian(b, bits);
                }
                else
                {
                    long bits = BitConverter.DoubleToInt64Bits(ordered[i]);
                    if (big) BinaryPrimitives.WriteInt64BigEndian(b, bits);
                    else BinaryPrimitives.WriteInt64LittleEndian(b, bits);
                }
            }

            return bytes;
        }

        /// <summary>A complete .npy member: header (NumPy's dict, padded) and data.</summary>
        public static byte[] Array(float[] values, long[] shape, string descr = "<f4", bool fortranOrder = false, int major = 1) =>
            Concat(Header(Dict(descr, fortranOrder, shape), major), Data(values, shape, descr, fortranOrder));

        public static byte[] Concat(params byte[][] parts)
        {
            var all = new byte[parts.Sum(p => p.Length)];
            int at = 0;
            foreach (byte[] p in parts)
            {
                p.CopyTo(all, at);
                at += p.Length;
            }

            return all;
        }

        /// <summary>Rearranges C-order values into Fortran (column-major) order.</summary>
        private static float[] ToFortranOrder(float[] c, long[] shape)
        {
            var f = new float[c.Length];
            int rank = shape.Length;
            var index = new long[rank];
            var stride = new long[rank];
            if (rank > 0) stride[0] = 1;
            for (int k = 1; k < rank; k++) stride[k] = stride[k - 1] * shape[k - 1];
            for (int i = 0; i < c.Length; i++)
            {
                long off = 0;
                for (int k = 0; k < rank; k++) off += index[k] * stride[k];
                f[off] = c[i];
                for (int k = rank - 1; k >= 0; k--)
                {
                    if (++index[k] < shape[k]) break;
                    index[k] = 0;
                }
            }

            return f;
        }
    }

    /// <summary>Writes .npz archives with System.IO.Compression (stored or deflate members).</summary>
    internal static class TestNpz
    {
        public static void Write(string path, CompressionLevel level, params (string Name, byte[] Bytes)[] members) =>
            File.WriteAllBytes(path, Bytes(level, members));

        public static byte[] Bytes(CompressionLevel level, params (string Name, byte[] Bytes)[] members)
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach ((string name, byte[] bytes) in members)
                {
                    ZipArchiveEntry entry = zip.CreateEntry(name, level);
                    using Stream s = entry.Open();
                    s.Write(bytes, 0, bytes.Length);
                }
            }

            return buffer.ToArray();
        }

        /// <summary>The archive with a zip comment of <paramref name="length"/> bytes (at most 65,535): its end record then lies that far before the end.</summary>
        public static byte[] WithComment(byte[] zip, int length)
        {
            if (length == 0) return zip;
            int end = zip.Length - 22; // System.IO.Compression writes no comment: the end record is the last 22 bytes
            byte[] result = new byte[zip.Length + length];
            Buffer.BlockCopy(zip, 0, result, 0, zip.Length);
            result[end + 20] = (byte)length;
            result[end + 21] = (byte)(length >> 8);
            for (int i = 0; i < length; i++) result[zip.Length + i] = (byte)'#';
            return result;
        }

        /// <summary>
        /// A batch file: metadata (rows × columns) and, unless <paramref name="images"/> is null, images
        /// (rows × ticks × channels), both '&lt;f4' C order, stored.
        /// </summary>
        public static void WriteBatch(string path, float[] metadata, int columns, float[]? images = null, int ticks = 4, int channels = 3,
            CompressionLevel level = CompressionLevel.NoCompression)
        {
            long rows = metadata.Length / columns;
            var members = new List<(string, byte[])>();
            if (images != null) members.Add(("images.npy", TestNpy.Array(images, new[] { rows, ticks, channels })));
            members.Add(("metadata.npy", TestNpy.Array(metadata, new[] { rows, (long)columns })));
            Write(path, level, members.ToArray());
        }

        /// <summary>
        /// Seed12 metadata rows with valid flags and the given plane id; other columns from <paramref name="seed"/>.
        /// </summary>
        public static float[] Seed12Rows(int rows, int planeId, int seed = 1)
        {
            var rng = new Random(seed);
            var md = new float[rows * 12];
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = md.AsSpan(r * 12, 12);
                row[0] = rng.Next(2);
                row[1] = rng.Next(2);
                for (int c = 2; c < 8; c++) row[c] = (float)(rng.NextDouble() * 200 - 100);
                row[8] = r % 3 == 0 ? -1f : (float)(rng.NextDouble() * 50);
                row[9] = (float)(rng.NextDouble() * 40);
                row[10] = planeId;
                row[11] = rng.Next(2);
            }

            return md;
        }

        /// <summary>Images whose pixels are multiples of 1/8, so every charge is exact in double precision.</summary>
        public static float[] EighthImages(int rows, int ticks, int channels, int seed = 2)
        {
            var rng = new Random(seed);
            var px = new float[rows * ticks * channels];
            for (int i = 0; i < px.Length; i++) px[i] = rng.Next(4) == 0 ? rng.Next(1, 1600) / 8f : 0f;
            return px;
        }

        /// <summary>Where a member's data (after its local header) starts in the file.</summary>
        public static long DataOffset(byte[] file, ClusterPS.Npz.NpzMember member)
        {
            int at = checked((int)member.LocalHeaderOffset);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 28));
            return at + 30 + nameLength + extraLength;
        }
    }

    /// <summary>
    /// A minimal zip writer for members whose bytes the test controls exactly (e.g. a hand-made deflate
    /// stream): local headers, data, central directory, end record; no zip64, no data descriptors.
    /// </summary>
    internal static class TestZip
    {
        public sealed record Member(string Name, byte[] Data, bool Deflated, long UncompressedSize, uint Crc);

        public static Member Stored(string name, byte[] data) => new Member(name, data, false, data.Length, Crc32(data));

        /// <summary>A deflate member with the given raw deflate stream, declaring <paramref name="uncompressed"/> as its content.</summary>
        public static Member Deflate(string name, byte[] deflateStream, byte[] uncompressed) =>
            new Member(name, deflateStream, true, uncompressed.Length, Crc32(uncompressed));

        public static byte[] Build(params Member[] members)
        {
            using var out_ = new MemoryStream();
            var w = new BinaryWriter(out_);
            var offsets = new List<long>();
            foreach (Member m in members)
            {
                offsets.Add(out_.Position);
                byte[] name = Encoding.UTF8.GetBytes(m.Name);
                w.Write(0x04034b50u);
                w.Write((ushort)20);
                w.Write((ushort)0);
                w.Write((ushort)(m.Deflated ? 8 : 0));
                w.Write(0u); // DOS time and date: 1980-01-01 would be 0x00210000; zero is accepted by readers
                w.Write(m.Crc);
                w.Write((uint)m.Data.Length);
                w.Write((uint)m.UncompressedSize);
                w.Write((ushort)name.Length);
                w.Write((ushort)0);
                w.Write(name);
                w.Write(m.Data);
            }

            long cdStart = out_.Position;
            for (int i = 0; i < members.Length; i++)
            {
                Member m = members[i];
                byte[] name = Encoding.UTF8.GetBytes(m.Name);
                w.Write(0x02014b50u);
                w.Write((ushort)20);
                w.Write((ushort)20);
                w.Write((ushort)0);
                w.Write((ushort)(m.Deflated ? 8 : 0));
                w.Write(0u);
                w.Write(m.Crc);
                w.Write((uint)m.Data.Length);
                w.Write((uint)m.UncompressedSize);
                w.Write((ushort)name.Length);
                w.Write((ushort)0); // extra
                w.Write((ushort)0); // comment
                w.Write((ushort)0); // disk
                w.Write((ushort)0); // internal attributes
                w.Write(0u);        // external attributes
                w.Write((uint)offsets[i]);
                w.Write(name);
            }

            long cdEnd = out_.Position;
            w.Write(0x06054b50u);
            w.Write((ushort)0);
            w.Write((ushort)0);
            w.Write((ushort)members.Length);
            w.Write((ushort)members.Length);
            w.Write((uint)(cdEnd - cdStart));
            w.Write((uint)cdStart);
            w.Write((ushort)0);
            w.Flush();
            return out_.ToArray();
        }

        /// <summary>A raw deflate stream of one non-final stored block holding <paramref name="data"/> (at most 65535 bytes).</summary>
        public static byte[] StoredDeflateBlock(byte[] data, bool final)
        {
            var block = new byte[5 + data.Length];
            block[0] = (byte)(final ? 1 : 0); // BFINAL, BTYPE = 00 (stored)
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(1), checked((ushort)data.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(3), (ushort)~data.Length);
            data.CopyTo(block, 5);
            return block;
        }

        /// <summary>A final deflate block header with the reserved (invalid) block type 11.</summary>
        public static readonly byte[] InvalidDeflateBlock = { 0x07 };

        public static uint Crc32(byte[] data)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }

            return ~crc;
        }
    }
}
