using System;
using System.Globalization;

namespace ClusterPS
{
    /// <summary>One batch file, as Get-ClusterBatch describes it (headers and metadata only).</summary>
    public sealed class ClusterBatch : IClusterData
    {
        internal ClusterBatch(string path, string name, Plane? plane, int? batchNumber, int count, ImageShape? imageShape,
            ClusterLayout? layout, long length, bool compressed, BatchFileStamp stamp)
        {
            Path = path;
            Name = name;
            WirePlane = plane;
            BatchNumber = batchNumber;
            Count = count;
            ImageShape = imageShape;
            ColumnLayout = layout;
            Length = length;
            Compressed = compressed;
            Stamp = stamp;
        }

        public string Path { get; }
        public string Name { get; }

        /// <summary>'U', 'V' or 'X': from the file name, or from the metadata when the name has none.</summary>
        public string? Plane => WirePlane?.ToString();

        public int? BatchNumber { get; }
        public int Count { get; }

        /// <summary>Ticks × channels, or null when the file has no images member.</summary>
        public ImageShape? ImageShape { get; }

        /// <summary>The layout's name (Seed12, Legacy11, Momentum15, Custom); null only for a file opened unchecked whose layout could not be chosen.</summary>
        public string? Layout => ColumnLayout?.Name;

        /// <summary>The file's size in bytes.</summary>
        public long Length { get; }

        /// <summary>True when the arrays are deflate-compressed (np.savez_compressed).</summary>
        public bool Compressed { get; }

        /// <summary>The plane as the enum (<see cref="Plane"/> is its name).</summary>
        internal Plane? WirePlane { get; }

        /// <summary>The layout itself (<see cref="Layout"/> is its name).</summary>
        internal ClusterLayout? ColumnLayout { get; }

        /// <summary>
        /// The file's identity when it was read; its images are read only from a file that still has
        /// it. Internal, so tables stay flat; it crosses serialization as the hidden FileStamp text.
        /// </summary>
        internal BatchFileStamp Stamp { get; }

        public override string ToString() => Name;

        /// <summary>
        /// The batch without its path as one line of text that <see cref="Parse"/> reads back: what
        /// each serialized cluster carries of its batch beside its own Path (one short string
        /// serializes much faster than a nested object, and 10,000 clusters from a job must arrive
        /// in seconds). Computed once per batch. The fields are separated by ';', which no layout
        /// definition or stamp text holds.
        /// </summary>
        internal string Serialize() => _text ??= string.Join(";",
            Plane ?? "",
            BatchNumber?.ToString(CultureInfo.InvariantCulture) ?? "",
            Count.ToString(CultureInfo.InvariantCulture),
            ImageShape?.ToString() ?? "",
            ColumnLayout?.Definition ?? "",
            Length.ToString(CultureInfo.InvariantCulture),
            Compressed ? "1" : "0",
            Stamp.Serialize());

        private string? _text;

        /// <summary>ClusterPS 0.2.0 and 0.2.1 wrote the same fields separated by U+001F, and the path last.</summary>
        private const char FormerSeparator = '\u001F';

        /// <summary>The batch of the file at <paramref name="path"/> from its <see cref="Serialize"/> text, or from the text of 0.2.0-0.2.1 (which holds the path itself).</summary>
        /// <exception cref="FormatException">The text is not a serialized batch.</exception>
        internal static ClusterBatch Parse(string text, string path)
        {
            bool former = text.IndexOf(FormerSeparator) >= 0;
            string[] p = former ? text.Split(new[] { FormerSeparator }, 9) : text.Split(';');
            if (p.Length != (former ? 9 : 8)) throw new FormatException("This is not a serialized ClusterPS batch.");
            if (former) path = p[8];
            int I(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            return new ClusterBatch(path, System.IO.Path.GetFileName(path),
                p[0].Length == 0 ? (Plane?)null : (Plane)Enum.Parse(typeof(Plane), p[0]),
                p[1].Length == 0 ? (int?)null : I(p[1]),
                I(p[2]),
                p[3].Length == 0 ? null : ImageShape.Parse(p[3]),
                p[4].Length == 0 ? null : ClusterLayout.FromDefinition(p[4]),
                long.Parse(p[5], NumberStyles.Integer, CultureInfo.InvariantCulture),
                p[6] == "1",
                BatchFileStamp.Parse(p[7]));
        }
    }
}
