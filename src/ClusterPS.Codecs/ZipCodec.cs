using System;
using System.Collections.Generic;
using System.IO;
using ICSharpCode.SharpZipLib.Zip;

namespace ClusterPS.Codecs
{
    /// <summary>One entry of a zip central directory.</summary>
    public sealed class ZipEntryInfo
    {
        public ZipEntryInfo(string name, bool isFile, long localHeaderOffset, long compressedSize, long size, int method, uint crc, bool encrypted)
        {
            Name = name;
            IsFile = isFile;
            LocalHeaderOffset = localHeaderOffset;
            CompressedSize = compressedSize;
            Size = size;
            Method = method;
            Crc = crc;
            Encrypted = encrypted;
        }

        public string Name { get; }
        public bool IsFile { get; }
        public long LocalHeaderOffset { get; }
        public long CompressedSize { get; }
        public long Size { get; }

        /// <summary>The zip compression method: 0 stored, 8 deflate.</summary>
        public int Method { get; }
        public uint Crc { get; }
        public bool Encrypted { get; }
    }

    /// <summary>
    /// A zip structure the library could not read. Its caller has already found the end record (so the
    /// file is a zip): whatever fails here is a damaged one.
    /// </summary>
    public sealed class ZipCodecException : Exception
    {
        public ZipCodecException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }

    /// <summary>Reading the zip container, through SharpZipLib. (Writing uses the runtime's ZipArchive; see NpzWriter.)</summary>
    public static class ZipCodec
    {
        /// <summary>
        /// Reads the central directory (zip64 records included) of a stream in which the caller has found
        /// the end-of-central-directory record. Every failure of the library, whatever its exception
        /// type, comes out as <see cref="ZipCodecException"/>.
        /// </summary>
        public static List<ZipEntryInfo> ReadDirectory(Stream stream)
        {
            try
            {
                var entries = new List<ZipEntryInfo>();
                using var zip = new ZipFile(stream, leaveOpen: true);
                foreach (ZipEntry e in zip)
                {
                    entries.Add(new ZipEntryInfo(e.Name, e.IsFile, e.Offset, e.CompressedSize, e.Size, (int)e.CompressionMethod, (uint)e.Crc, e.IsCrypted));
                }

                return entries;
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // The error kind is decided by the caller from the bytes (an end record exists, so this is
                // a damaged zip). Only the wording is improved here: method 99 is AES encryption, which
                // SharpZipLib reports as a missing AES record.
                string message = ex.Message.IndexOf("AES", StringComparison.Ordinal) >= 0
                    ? "a member is marked as AES-encrypted (compression method 99), which NumPy never writes"
                    : ex.Message;
                throw new ZipCodecException(message, ex);
            }
        }
    }

    /// <summary>A running CRC-32 (the zip polynomial), through SharpZipLib.</summary>
    public sealed class Crc32Accumulator
    {
        private readonly ICSharpCode.SharpZipLib.Checksum.Crc32 _crc = new ICSharpCode.SharpZipLib.Checksum.Crc32();

        public void Update(byte[] buffer, int offset, int count) => _crc.Update(new ArraySegment<byte>(buffer, offset, count));

        public uint Value => (uint)_crc.Value;
    }
}
