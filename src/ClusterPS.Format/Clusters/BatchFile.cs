using System;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>
    /// An open batch file: its metadata decoded under a checked layout, its image array located
    /// but not read. Image rows are read on demand through <see cref="OpenImages"/>.
    /// </summary>
    public sealed class BatchFile : IDisposable
    {
        /// <summary>The largest metadata column count and image side accepted (128 × 16 and 128 × 32 in practice).</summary>
        internal const int MaxDimension = 1 << 16;

        /// <summary>The most pixels one cluster image may have (64 MiB as float32): keeps every per-image size an int.</summary>
        internal const int MaxImagePixels = 1 << 24;

        private readonly NpzArchive _archive;
        private readonly NpzMember? _imagesMember;

        private BatchFile(NpzArchive archive, NpzMember? imagesMember, ClusterBatch info, float[] metadata, int columns,
            string metadataDType, string? imageDType)
        {
            MetadataDType = metadataDType;
            ImageDType = imageDType;
            _archive = archive;
            _imagesMember = imagesMember;
            Info = info;
            Metadata = metadata;
            Columns = columns;
        }

        public ClusterBatch Info { get; }
        public string Path => Info.Path;
        public int Count => Info.Count;
        public ClusterLayout Layout => Info.LayoutDefinition;

        /// <summary>Metadata rows, C order: row r's column c is at r × Columns + c.</summary>
        public float[] Metadata { get; }
        public int Columns { get; }

        /// <summary>
        /// Opens <paramref name="path"/>, reads the metadata (verifying its CRC-32) and the image header. With a null
        /// <paramref name="layout"/> the layout is detected by column count; unless
        /// <paramref name="checkLayout"/> is false the layout's plausibility checks must pass.
        /// </summary>
        public static BatchFile Open(string path, ClusterLayout? layout = null, bool checkLayout = true)
        {
            NpzArchive archive = NpzArchive.Open(path);
            try
            {
                return archive.Guard(() => Read(archive, path, layout, checkLayout));
            }
            catch
            {
                archive.Dispose();
                throw;
            }
        }

        /// <summary>The element type of the metadata and image arrays, e.g. '&lt;f4'.</summary>
        public string MetadataDType { get; }
        public string? ImageDType { get; }

        /// <summary>Opens the image array for forward reading of rows (one row = one cluster image; reading every row checks the CRC-32).</summary>
        internal NpyArray OpenImages()
        {
            if (_imagesMember == null)
            {
                throw new NpzFormatException(Path, NpzErrorCode.MissingMember, "it has no 'images' array (it holds metadata only)");
            }

            return _archive.Guard(() => NpyArray.Open(_archive, _imagesMember));
        }

        public void Dispose() => _archive.Dispose();

        private static BatchFile Read(NpzArchive archive, string path, ClusterLayout? layout, bool checkLayout)
        {
            NpzMember metadataMember = archive.Find("metadata")
                ?? throw new NpzFormatException(path, NpzErrorCode.MissingMember,
                    "it has no 'metadata' array" + (archive.Members.Count == 0 ? " (the archive is empty)" : ""));

            float[] metadata;
            long rows, columns;
            string metadataDType;
            string? imageDType = null;
            using (NpyArray meta = NpyArray.Open(archive, metadataMember))
            {
                if (meta.Header.Shape.Length != 2)
                {
                    throw new NpzFormatException(path, NpzErrorCode.InvalidShape,
                        $"'metadata' has shape {meta.Header.ShapeText}; a metadata table must be 2-dimensional (clusters × columns)");
                }

                rows = meta.Rows;
                columns = meta.RowElements;
                // The column bound matters when rows = 0: no data bytes then vouch for the column count,
                // yet readers size per-row buffers by it.
                if (columns == 0 || columns > MaxDimension || rows > int.MaxValue)
                {
                    throw new NpzFormatException(path, NpzErrorCode.InvalidShape, $"'metadata' has shape {meta.Header.ShapeText}, which cannot be a metadata table");
                }

                metadata = meta.ReadAll();
                metadataDType = meta.Header.DType.Descr;
            }

            ImageShape? shape = null;
            NpzMember? imagesMember = archive.Find("images");
            bool compressed = metadataMember.Deflated;
            if (imagesMember != null)
            {
                compressed |= imagesMember.Deflated;
                using NpyArray images = NpyArray.Open(archive, imagesMember);
                long[] s = images.Header.Shape;
                if (s.Length != 3 || s[1] == 0 || s[2] == 0 || s[1] > MaxDimension || s[2] > MaxDimension || s[1] * s[2] > MaxImagePixels)
                {
                    throw new NpzFormatException(path, NpzErrorCode.InvalidShape,
                        $"'images' has shape {images.Header.ShapeText}; cluster images must be clusters × ticks × channels");
                }

                if (s[0] != rows)
                {
                    throw new NpzFormatException(path, NpzErrorCode.RowCountMismatch,
                        $"'images' holds {s[0]:N0} clusters but 'metadata' has {rows:N0} rows");
                }

                shape = new ImageShape((int)s[1], (int)s[2]);
                imageDType = images.Header.DType.Descr;
            }

            string name = System.IO.Path.GetFileName(path);
            Plane? filePlane = BatchFileName.PlaneOf(name);
            layout = ResolveLayout(path, layout, metadata, (int)rows, (int)columns, filePlane, checkLayout);
            Plane? plane = filePlane ?? PlaneFromMetadata(metadata, (int)rows, (int)columns, layout);

            var info = new ClusterBatch(path, name, plane, BatchFileName.BatchNumberOf(name), (int)rows, shape, layout,
                archive.Length, compressed, BatchFileStamp.Of(archive));
            return new BatchFile(archive, imagesMember, info, metadata, (int)columns, metadataDType, imageDType);
        }

        private static ClusterLayout ResolveLayout(string path, ClusterLayout? layout, float[] metadata, int rows, int columns,
            Plane? filePlane, bool check)
        {
            string hint = "pass -Layout with one of Seed12, Legacy11, Momentum15 or a column map such as @{ IsMarley = 0; ... }";
            if (layout == null)
            {
                layout = ClusterLayout.ForColumnCount(columns) ?? (check
                    ? throw new NpzFormatException(path, NpzErrorCode.LayoutMismatch,
                        $"its metadata has {columns} columns, which matches no built-in layout (Seed12 has 12, Legacy11 11, Momentum15 15); {hint}")
                    : ClusterLayout.Seed12);
            }

            if (!check) return layout;

            if (!layout.Accepts(columns))
            {
                throw new NpzFormatException(path, NpzErrorCode.LayoutMismatch,
                    $"its metadata has {columns} columns but layout {layout.Name} expects {layout.ColumnCount}; {hint}");
            }

            string? problem = layout.CheckPlausibility(metadata, rows, columns, filePlane);
            if (problem != null)
            {
                throw new NpzFormatException(path, NpzErrorCode.LayoutMismatch,
                    $"its metadata has {columns} columns and does not fit layout {layout.Name}: {problem}; {hint}");
            }

            return layout;
        }

        private static Plane? PlaneFromMetadata(float[] metadata, int rows, int columns, ClusterLayout layout)
        {
            int col = layout.Column(ClusterField.PlaneId);
            if (col < 0 || col >= columns || rows == 0) return null;
            float first = metadata[col];
            for (int r = 1; r < rows; r++)
            {
                if (metadata[r * columns + col] != first) return null;
            }

            return first == 0f || first == 1f || first == 2f ? (Plane)(int)first : (Plane?)null;
        }
    }
}
