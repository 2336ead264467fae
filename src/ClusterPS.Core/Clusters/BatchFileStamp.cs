using System;
using System.Globalization;
using System.Linq;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>
    /// A batch file's identity as it was read: its length, its last write time, and the place,
    /// sizes and CRC-32 of its images member from the central directory. Images are read lazily,
    /// from the file again: <see cref="Check"/> then makes a file that was replaced or changed
    /// meanwhile that file's error, never a source of another file's pixels. Immutable and public,
    /// with a public constructor, so that a batch or cluster that travelled (jobs, remoting,
    /// CliXml) can carry it back and still be checked.
    /// </summary>
    public sealed class BatchFileStamp : IEquatable<BatchFileStamp>
    {
        public BatchFileStamp(long length, DateTime lastWriteTimeUtc, long imagesOffset, long imagesCompressedSize, long imagesSize, uint imagesCrc)
        {
            Length = length;
            LastWriteTimeUtc = lastWriteTimeUtc.Kind == DateTimeKind.Local ? lastWriteTimeUtc.ToUniversalTime() : DateTime.SpecifyKind(lastWriteTimeUtc, DateTimeKind.Utc);
            ImagesOffset = imagesOffset;
            ImagesCompressedSize = imagesCompressedSize;
            ImagesSize = imagesSize;
            ImagesCrc = imagesCrc;
        }

        /// <summary>The file's size in bytes.</summary>
        public long Length { get; }

        public DateTime LastWriteTimeUtc { get; }

        /// <summary>Where the images member's local header starts, or -1 when the file has no images member.</summary>
        public long ImagesOffset { get; }

        public long ImagesCompressedSize { get; }

        /// <summary>The images member's uncompressed size (NPY header included).</summary>
        public long ImagesSize { get; }

        /// <summary>The images member's CRC-32, as the central directory records it.</summary>
        public uint ImagesCrc { get; }

        /// <summary>The stamp of an open archive.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static BatchFileStamp Of(NpzArchive archive)
        {
            NpzMember? images = archive.Find("images");
            return new BatchFileStamp(archive.Length, archive.LastWriteTimeUtc, images?.LocalHeaderOffset ?? -1,
                images?.CompressedSize ?? 0, images?.Size ?? 0, images?.Crc ?? 0);
        }

        /// <summary>Throws the file's <see cref="NpzErrorCode.FileChanged"/> error unless <paramref name="archive"/> is still the file this stamp describes.</summary>
        public void Check(NpzArchive archive)
        {
            string? difference = Difference(Of(archive));
            if (difference != null)
            {
                throw new NpzFormatException(archive.Path, NpzErrorCode.FileChanged,
                    $"it changed since it was read ({difference}); read it again, its clusters no longer describe it");
            }
        }

        /// <summary>The stamp as one line of text that <see cref="Parse"/> reads back: how it crosses into jobs, remote sessions and CliXml.</summary>
        internal string Serialize() => string.Join("|",
            new[] { Length, LastWriteTimeUtc.Ticks, ImagesOffset, ImagesCompressedSize, ImagesSize, ImagesCrc }
                .Select(n => n.ToString(CultureInfo.InvariantCulture))); // invariant: sv-SE writes -1 as U+2212 1

        /// <exception cref="FormatException">The text is not a serialized stamp.</exception>
        internal static BatchFileStamp Parse(string text)
        {
            string[] p = text.Split('|');
            if (p.Length != 6) throw new FormatException($"'{text}' is not a batch file stamp.");
            long L(int i) => long.Parse(p[i], NumberStyles.Integer, CultureInfo.InvariantCulture);
            return new BatchFileStamp(L(0), new DateTime(L(1), DateTimeKind.Utc), L(2), L(3), L(4),
                uint.Parse(p[5], NumberStyles.None, CultureInfo.InvariantCulture));
        }

        public bool Equals(BatchFileStamp? other) => other != null && Difference(other) == null;

        public override bool Equals(object? obj) => Equals(obj as BatchFileStamp);

        public override int GetHashCode() => Length.GetHashCode() ^ LastWriteTimeUtc.GetHashCode() ^ (int)ImagesCrc;

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} bytes, written {1:o}, images at {2} ({3}/{4} bytes, CRC-32 {5:x8})",
                Length, LastWriteTimeUtc, ImagesOffset, ImagesCompressedSize, ImagesSize, ImagesCrc);

        private string? Difference(BatchFileStamp now)
        {
            if (now.Length != Length) return $"it is now {now.Length:N0} bytes long, was {Length:N0}";
            if (now.LastWriteTimeUtc != LastWriteTimeUtc)
            {
                return string.Format(CultureInfo.InvariantCulture, "last written {0:o}, was {1:o}", now.LastWriteTimeUtc, LastWriteTimeUtc);
            }

            if (now.ImagesOffset != ImagesOffset || now.ImagesCompressedSize != ImagesCompressedSize || now.ImagesSize != ImagesSize || now.ImagesCrc != ImagesCrc)
            {
                return $"its images member is now {now.Describe()}, was {Describe()}";
            }

            return null;
        }

        private string Describe() => ImagesOffset < 0
            ? "missing"
            : $"at offset {ImagesOffset:N0}, {ImagesCompressedSize:N0} bytes stored, {ImagesSize:N0} bytes, CRC-32 {ImagesCrc:x8}";
    }
}
