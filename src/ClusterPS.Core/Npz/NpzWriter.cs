using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.IO.Compression;

namespace ClusterPS.Npz
{
    /// <summary>
    /// Writes float32 arrays as an .npz archive as <c>np.savez</c> (stored) or
    /// <c>np.savez_compressed</c> (deflate) would: NPY 1.0 members with 64-byte aligned headers.
    /// (Callers write files through <see cref="AtomicFile"/>: whole or not at all.)
    /// </summary>
    public static class NpzWriter
    {
        /// <summary>An array to write: its name (without .npy), shape, and C-order values.</summary>
        public readonly struct Array32
        {
            public Array32(string name, long[] shape, ArraySegment<float> values)
            {
                Name = name;
                Shape = shape;
                Values = values;
            }

            public string Name { get; }
            public long[] Shape { get; }
            public ArraySegment<float> Values { get; }
        }

        /// <summary>
        /// Writes the archive to a seekable stream with the runtime's ZipArchive: stored entries
        /// (deflate with <paramref name="compress"/>), sizes and CRC-32 in the local headers, no
        /// data descriptors, zip64 only past 4 GB. The runtime computes the CRC with its native
        /// zlib; SharpZipLib's managed CRC made writing twice as slow as the disk.
        /// </summary>
        public static void Write(Stream output, bool compress, params Array32[] arrays)
        {
            using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
            foreach (Array32 array in arrays)
            {
                ZipArchiveEntry entry = zip.CreateEntry(array.Name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using Stream stream = entry.Open();
                byte[] header = Header(array.Shape);
                stream.Write(header, 0, header.Length);
                WriteSpan(stream, MemoryMarshal.AsBytes(array.Values.AsSpan()));
            }
        }

        /// <summary>An NPY 1.0 header for little-endian float32 in C order, padded like NumPy's.</summary>
        public static byte[] Header(long[] shape)
        {
            string shapeText = shape.Length == 1
                ? "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)"
                : "(" + string.Join(", ", Array.ConvertAll(shape, d => d.ToString(CultureInfo.InvariantCulture))) + ")";
            string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
            int unpadded = 10 + dict.Length + 1;
            int padding = (64 - unpadded % 64) % 64;
            string text = dict + new string(' ', padding) + "\n";
            var header = new byte[10 + text.Length];
            header[0] = 0x93;
            Encoding.ASCII.GetBytes("NUMPY", 0, 5, header, 1);
            header[6] = 1;
            header[7] = 0;
            header[8] = (byte)(text.Length & 0xFF);
            header[9] = (byte)(text.Length >> 8);
            Encoding.ASCII.GetBytes(text, 0, text.Length, header, 10);
            return header;
        }

        private static void WriteSpan(Stream stream, ReadOnlySpan<byte> data)
        {
            var buffer = new byte[Math.Min(data.Length, 1 << 20)];
            while (!data.IsEmpty)
            {
                int n = Math.Min(buffer.Length, data.Length);
                data.Slice(0, n).CopyTo(buffer);
                stream.Write(buffer, 0, n);
                data = data.Slice(n);
            }
        }
    }
}
