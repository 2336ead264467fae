using System;
using System.Collections.Generic;
using System.IO;
using ICSharpCode.SharpZipLib.Zip;

namespace ClusterPS.Npz
{
    /// <summary>One array member of an .npz archive, as the central directory describes it.</summary>
    public sealed class NpzMember
    {
        internal NpzMember(string name, long localHeaderOffset, long compressedSize, long size, bool deflated, uint crc)
        {
            Name = name;
            LocalHeaderOffset = localHeaderOffset;
            CompressedSize = compressedSize;
            Size = size;
            Deflated = deflated;
            Crc = crc;
        }

        /// <summary>The zip entry name, e.g. "images.npy".</summary>
        public string Name { get; }

        /// <summary>The array name NumPy gives it: the entry name without ".npy".</summary>
        public string ArrayName => Name.EndsWith(".npy", StringComparison.Ordinal) ? Name.Substring(0, Name.Length - 4) : Name;

        public long LocalHeaderOffset { get; }
        public long CompressedSize { get; }
        public long Size { get; }
        public bool Deflated { get; }
        public uint Crc { get; }
    }

    /// <summary>
    /// An open .npz file. SharpZipLib reads the zip structure (central directory, zip64 records);
    /// member bytes are then read by offset, taking sizes from the central directory as NumPy's
    /// zip64 local headers require. Every failure is reported as <see cref="NpzFormatException"/>.
    /// </summary>
    public sealed class NpzArchive : IDisposable
    {
        /// <summary>Deflate cannot expand data by more than about 1032:1; a larger claim is a lie.</summary>
        internal const long MaxDeflateRatio = 1032;

        private readonly List<NpzMember> _members;

        private NpzArchive(string path, FileStream stream, List<NpzMember> members)
        {
            Path = path;
            Stream = stream;
            _members = members;
        }

        public string Path { get; }
        public long Length => Stream.Length;
        public IReadOnlyList<NpzMember> Members => _members;
        internal FileStream Stream { get; }

        public static NpzArchive Open(string path)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new NpzFormatException(path, NpzErrorCode.Unreadable, ex.Message, ex);
            }

            try
            {
                return new NpzArchive(path, stream, ReadDirectory(path, stream));
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>The member holding the named array (e.g. "metadata"), or null.</summary>
        public NpzMember? Find(string arrayName)
        {
            foreach (NpzMember m in _members)
            {
                if (m.ArrayName == arrayName) return m;
            }

            return null;
        }

        /// <summary>Opens a member's array: reads and checks its NPY header.</summary>
        internal NpyArray OpenArray(NpzMember member) => Guard(() => NpyArray.Open(this, member));

        public void Dispose() => Stream.Dispose();

        /// <summary>Runs a read, translating any failure of the container or the decoder.</summary>
        internal T Guard<T>(Func<T> read)
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (!(ex is NpzFormatException) && !(ex is OperationCanceledException) && !(ex is OutOfMemoryException))
            {
                throw Translate(Path, ex);
            }
        }

        internal static NpzFormatException Translate(string path, Exception ex)
        {
            switch (ex)
            {
                case EndOfStreamException _:
                    return new NpzFormatException(path, NpzErrorCode.Truncated, "the file ends before the data it describes", ex);
                case InvalidDataException _:
                    return new NpzFormatException(path, NpzErrorCode.CorruptData, "the deflate data of a compressed member is corrupt", ex);
                case UnauthorizedAccessException _:
                case IOException _:
                    return new NpzFormatException(path, NpzErrorCode.Unreadable, ex.Message, ex);
                default:
                    // SharpZipLib reports many structural faults with its base exception type or with
                    // argument/format exceptions: they all mean a damaged container.
                    return new NpzFormatException(path, NpzErrorCode.CorruptZip, "the zip structure is damaged (" + ex.Message + ")", ex);
            }
        }

        private static List<NpzMember> ReadDirectory(string path, FileStream stream)
        {
            long length = stream.Length;
            if (length < 22)
            {
                throw new NpzFormatException(path, NpzErrorCode.NotAZipFile,
                    length == 0 ? "the file is empty" : $"the file is only {length} bytes, too short for a zip archive");
            }

            var members = new List<NpzMember>();
            try
            {
                using var zip = new ZipFile(stream, leaveOpen: true);
                foreach (ZipEntry entry in zip)
                {
                    if (!entry.IsFile) continue;
                    members.Add(Describe(path, length, entry));
                }
            }
            catch (ZipException ex) when (ex.Message.IndexOf("central directory", StringComparison.OrdinalIgnoreCase) >= 0
                                          || ex.Message.IndexOf("end of central", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw new NpzFormatException(path, NpzErrorCode.NotAZipFile, "it is not a zip archive (no central directory found); an .npz file is a zip of .npy arrays", ex);
            }
            catch (Exception ex) when (!(ex is NpzFormatException) && !(ex is OutOfMemoryException))
            {
                throw Translate(path, ex);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (NpzMember m in members)
            {
                if (!seen.Add(m.Name))
                {
                    throw new NpzFormatException(path, NpzErrorCode.CorruptZip, $"the archive holds two members named '{m.Name}'");
                }
            }

            return members;
        }

        private static NpzMember Describe(string path, long fileLength, ZipEntry entry)
        {
            string name = entry.Name;
            if (entry.IsCrypted)
            {
                throw new NpzFormatException(path, NpzErrorCode.CorruptZip, $"the member '{name}' is encrypted, which NumPy never writes");
            }

            bool deflated;
            switch (entry.CompressionMethod)
            {
                case CompressionMethod.Stored: deflated = false; break;
                case CompressionMethod.Deflated: deflated = true; break;
                default:
                    throw new NpzFormatException(path, NpzErrorCode.CorruptZip,
                        $"the member '{name}' uses compression method {(int)entry.CompressionMethod}; only stored and deflate are supported");
            }

            long size = entry.Size;
            long compressed = entry.CompressedSize;
            if (size < 0 || compressed < 0 || entry.Offset < 0 || entry.Offset > fileLength || compressed > fileLength)
            {
                throw new NpzFormatException(path, NpzErrorCode.Truncated,
                    $"the member '{name}' lies beyond the end of the file ({fileLength:N0} bytes); the file may be cut short");
            }

            if (!deflated && size != compressed)
            {
                throw new NpzFormatException(path, NpzErrorCode.CorruptZip,
                    $"the stored member '{name}' has a size of {size:N0} bytes but occupies {compressed:N0}");
            }

            if (deflated && size > compressed * MaxDeflateRatio + 1024)
            {
                throw new NpzFormatException(path, NpzErrorCode.InflateLimit,
                    $"the member '{name}' claims to inflate {compressed:N0} bytes to {size:N0}, more than deflate can produce");
            }

            return new NpzMember(name, entry.Offset, compressed, size, deflated, (uint)entry.Crc);
        }
    }
}
