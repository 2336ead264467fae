namespace ClusterPS
{
    /// <summary>One batch file, as Get-ClusterBatch describes it (headers and metadata only).</summary>
    public sealed class ClusterBatch : IClusterData
    {
        internal ClusterBatch(string path, string name, Plane? plane, int? batchNumber, int count, ImageShape? imageShape,
            ClusterLayout layout, long length, bool compressed, BatchFileStamp stamp)
        {
            Path = path;
            Name = name;
            PlaneValue = plane;
            BatchNumber = batchNumber;
            Count = count;
            ImageShape = imageShape;
            LayoutDefinition = layout;
            Length = length;
            Compressed = compressed;
            Stamp = stamp;
        }

        public string Path { get; }
        public string Name { get; }

        /// <summary>'U', 'V' or 'X': from the file name, or from the metadata when the name has none.</summary>
        public string? Plane => PlaneValue?.ToString();

        public int? BatchNumber { get; }
        public int Count { get; }

        /// <summary>Ticks × channels, or null when the file has no images member.</summary>
        public ImageShape? ImageShape { get; }

        public string Layout => LayoutDefinition.Name;

        /// <summary>The file's size in bytes.</summary>
        public long Length { get; }

        /// <summary>True when the arrays are deflate-compressed (np.savez_compressed).</summary>
        public bool Compressed { get; }

        /// <summary>The file's identity when it was read; its images are read only from a file that still has it.</summary>
        public BatchFileStamp Stamp { get; }

        internal Plane? PlaneValue { get; }
        internal ClusterLayout LayoutDefinition { get; }

        public override string ToString() => Name;
    }
}
