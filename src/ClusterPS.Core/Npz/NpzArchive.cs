using System;
using System.Collections.Generic;
using System.IO;
using ClusterPS.Codecs;

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
    /// An open .npz file. SharpZipLib (via ClusterPS.Codecs) reads the zip structure (central directory, zip64 records);
    /// member bytes are then read by offset, taking sizes from the central directory as NumPy's
    /// zip64 local headers require. Every failure is reported as <see cref="NpzFormatException"/>.
    /// </summary>
    public sealed class NpzArchive : IDisposable
    {
        /// <summary>Deflate cannot expand data by more than about 1032:1; a larger claim is a lie.</summary>
        internal const long MaxDeflateRatio = 1032;

        private readonly List<NpzMember> _members;

        private NpzArchive(string path, TailCachedStream stream, DateTime lastWriteTimeUtc, List<NpzMember> members)
        {
            Path = path;
            Stream = stream;
            LastWriteTimeUtc = lastWriteTimeUtc;
            _members = members;
        }

        public string Path { get; }
        public long Length => Stream.Length;

        /// <summary>The file's last write time, taken right after it was opened.</summary>
        public DateTime LastWriteTimeUtc { get; }
        public IReadOnlyList<NpzMember> Members => _members;
        internal TailCachedStream Stream { get; }

        /// <summary>Opens a batch file; a FIFO, device or socket is refused without being opened (reading one could block forever).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static NpzArchive Open(string path)
        {
            string? kind = RegularFile.NonRegularKind(path);
            if (kind != null)
            {
                throw new NpzFormatException(path, NpzErrorCode.NotARegularFile,
                    $"it is {kind}, not a regular file; batch files are regular files, so it was not opened");
            }

            TailCachedStream stream;
            DateTime lastWrite;
            FileStream? file = null;
            try
            {
                // Unbuffered (bufferSize 1): TailCachedStream caches the two places read in small pieces.
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1);
                lastWrite = File.GetLastWriteTimeUtc(path);
                stream = new TailCachedStream(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                file?.Dispose();
                throw new NpzFormatException(path, NpzErrorCode.Unreadable, ex.Message, ex);
            }

            try
            {
                return new NpzArchive(path, stream, lastWrite, ReadDirectory(path, stream));
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>The member holding the named array (e.g. "metadata"), or null.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
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
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
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

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static List<NpzMember> ReadDirectory(string path, TailCachedStream stream)
        {
            long length = stream.Length;
            if (length < 22)
            {
                throw StartsWithLocalHeader(stream)
                    ? new NpzFormatException(path, NpzErrorCode.Truncated,
                        $"the file is only {length} bytes: it starts like a zip archive but is cut short")
                    : new NpzFormatException(path, NpzErrorCode.NotAZipFile,
                        length == 0 ? "the file is empty" : $"the file is only {length} bytes, too short for a zip archive");
            }

            var members = new List<NpzMember>();
            try
            {
                // Decided by the bytes, before SharpZipLib is asked: no end record in the last 64 KiB means
                // "not a zip" (or, for a file that starts with a local header, a zip cut short).
                int end = FindEndRecord(stream);
                if (!stream.HoldsSearchWindow && (end < 0 || DirectoryStartsBeforeTail(stream, end)))
                {
                    // SharpZipLib reads the central directory a byte at a time: it must lie in the tail.
                    stream.WidenTail();
                    end = FindEndRecord(stream);
                }

                if (end < 0)
                {
                    throw StartsWithLocalHeader(stream)
                        ? new NpzFormatException(path, NpzErrorCode.Truncated,
                            "it starts like a zip archive but its end (the central directory) is missing; the file is cut short")
                        : new NpzFormatException(path, NpzErrorCode.NotAZipFile,
                            "it is not a zip archive (no central directory found); an .npz file is a zip of .npy arrays");
                }

                CheckEntryCount(path, stream, end);
                foreach (ZipEntryInfo entry in ZipCodec.ReadDirectory(stream))
                {
                    if (entry.IsFile) members.Add(Describe(path, length, entry));
                }
            }
            catch (ZipCodecException ex)
            {
                // The end record was found, so the file's end is there: whatever else fails (including a
                // directory that points past the end of the file) is a damaged directory.
                throw new NpzFormatException(path, NpzErrorCode.CorruptZip, "the zip structure is damaged (" + ex.Message + ")", ex);
            }
            catch (IOException ex)
            {
                throw Translate(path, ex);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            long last = -1;
            foreach (NpzMember m in members)
            {
                if (!seen.Add(m.Name))
                {
                    throw new NpzFormatException(path, NpzErrorCode.CorruptZip, $"the archive holds two members named '{m.Name}'");
                }

                last = Math.Max(last, m.LocalHeaderOffset);
            }

            if (last >= 0) stream.NeedTailFrom(last);
            return members;
        }

        private const uint EndSignature = 0x06054b50;

        /// <summary>
        /// Where the end-of-central-directory record starts in the stream's cached tail, or -1: the last
        /// end-record signature in the cached tail (which the caller widens to the final 22 + 65,535
        /// bytes when none is found in less), searched the way SharpZipLib searches.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static int FindEndRecord(TailCachedStream stream)
        {
            byte[] tail = stream.Tail;
            for (int i = stream.TailLength - 22; i >= 0; i--)
            {
                if (UInt32(tail, i) == EndSignature) return i;
            }

            return -1;
        }

        /// <summary>
        /// Whether the central directory (as the end record at <paramref name="end"/> places it) starts
        /// before the cached tail; a zip64 directory, placed by another record, counts as before it.
        /// </summary>
        private static bool DirectoryStartsBeforeTail(TailCachedStream stream, int end)
        {
            uint start = UInt32(stream.Tail, end + 16);
            return start == uint.MaxValue || start < stream.TailStart;
        }

        /// <summary>
        /// SharpZipLib allocates its entry table from the end record's entry count before reading a single
        /// entry, and a zip64 end record can claim 2^64 entries in a 100-byte file. Read the count from the
        /// end record at <paramref name="end"/> (in the cached tail), or from the zip64 end record when a
        /// zip64 locator stands exactly 20 bytes before it, and refuse a count that the file cannot hold: a
        /// central directory entry takes at least 46 bytes. Anything else that is wrong is left to
        /// SharpZipLib to report.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static void CheckEntryCount(string path, TailCachedStream stream, int end)
        {
            const uint LocatorSignature = 0x07064b50, Zip64EndSignature = 0x06064b50;
            long length = stream.Length;
            byte[] tail = stream.Tail;
            ulong count = (ulong)(tail[end + 8] | tail[end + 9] << 8); // entries on this disk: what SharpZipLib allocates
            long endOffset = length - stream.TailLength + end;
            var record = new byte[32];
            if (endOffset >= 20 && ReadAt(stream, endOffset - 20, record, 20) == 20 && UInt32(record, 0) == LocatorSignature)
            {
                ulong zip64End = UInt64(record, 8);
                if (length >= 32 && zip64End <= (ulong)(length - 32) && ReadAt(stream, (long)zip64End, record, 32) == 32 && UInt32(record, 0) == Zip64EndSignature)
                {
                    count = UInt64(record, 24);
                }
            }

            if (count > (ulong)(length / 46))
            {
                throw new NpzFormatException(path, NpzErrorCode.CorruptZip,
                    $"the zip end record claims {count:N0} members, more than a {length:N0}-byte file can hold");
            }
        }

        private static bool StartsWithLocalHeader(Stream stream)
        {
            var start = new byte[4];
            try
            {
                return ReadAt(stream, 0, start, 4) == 4 && UInt32(start, 0) == 0x04034b50;
            }
            catch (IOException)
            {
                return false;
            }
        }

        /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>; returns how many were read (fewer only at the end of the file).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static int ReadAt(Stream stream, long offset, byte[] buffer, int count)
        {
            stream.Seek(offset, SeekOrigin.Begin);
            int done = 0;
            while (done < count)
            {
                int n = stream.Read(buffer, done, count - done);
                if (n == 0) break;
                done += n;
            }

            return done;
        }

        private static uint UInt32(byte[] b, int i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);

        private static ulong UInt64(byte[] b, int i) => UInt32(b, i) | (ulong)UInt32(b, i + 4) << 32;

        /// <summary>The zip specification's name for a compression method ZIP tools other than NumPy write, as " (name)".</summary>
        private static string MethodName(int method)
        {
            switch (method)
            {
                case 1: return " (Shrink)";
                case 6: return " (Implode)";
                case 9: return " (Deflate64)";
                case 12: return " (bzip2)";
                case 14: return " (LZMA)";
                case 93: return " (Zstandard)";
                case 95: return " (XZ)";
                case 98: return " (PPMd)";
                case 99: return " (AES encryption)";
                default: return "";
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static NpzMember Describe(string path, long fileLength, ZipEntryInfo entry)
        {
            string name = entry.Name;
            if (entry.Encrypted)
            {
                throw new NpzFormatException(path, NpzErrorCode.CorruptZip, $"the member '{name}' is encrypted, which NumPy never writes");
            }

            bool deflated;
            switch (entry.Method)
            {
                case 0: deflated = false; break;
                case 8: deflated = true; break;
                default:
                    throw new NpzFormatException(path, NpzErrorCode.CorruptZip,
                        $"the member '{name}' uses compression method {entry.Method}{MethodName(entry.Method)}; only stored (0) and deflate (8) are supported, as in NumPy's files");
            }

            long size = entry.Size;
            long compressed = entry.CompressedSize;
            if (size < 0 || compressed < 0 || entry.LocalHeaderOffset < 0 || entry.LocalHeaderOffset > fileLength || compressed > fileLength)
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

            return new NpzMember(name, entry.LocalHeaderOffset, compressed, size, deflated, entry.Crc);
        }
    }
}
