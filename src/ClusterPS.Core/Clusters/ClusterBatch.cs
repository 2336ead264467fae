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
    }
}
