using System;
using System.Buffers;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>
    /// An open batch file: its metadata decoded under a layout, its image array located but not
    /// read. Image rows are read on demand through <see cref="OpenImages"/>. Two ways in:
    /// <see cref="Open(string, ClusterLayout)"/> checks the layout (and throws when it does not fit), <see cref="OpenUnchecked"/>
    /// (the audit's) reports instead which layout it could choose, or none and why. Work that needs
    /// only the metadata after the file is closed takes <see cref="ReadMetadata"/>'s value instead.
    /// </summary>
    public sealed class BatchFile : IDisposable
    {
        /// <summary>The largest metadata column count and image side accepted (128 × 16 and 128 × 32 in practice).</summary>
        internal const int MaxDimension = 1 << 16;

        /// <summary>The most pixels one cluster image may have (64 MiB as float32): keeps every per-image size an int.</summary>
        internal const int MaxImagePixels = 1 << 24;

        private const string LayoutHint = "pass -Layout with one of Seed12, Legacy11, Momentum15 or a column map such as @{ IsMarley = 0; ... }";

        private readonly NpzArchive _archive;
        private readonly NpzMember? _imagesMember;

        private BatchFile(NpzArchive archive, NpzMember? imagesMember, BatchMetadata contents, string? layoutProblem)
        {
            _archive = archive;
            _imagesMember = imagesMember;
            Contents = contents;
            LayoutProblem = layoutProblem;
        }

        /// <summary>What was read: the batch, the metadata rows and their dtypes, valid after the file is closed.</summary>
        public BatchMetadata Contents { get; }

        public ClusterBatch Batch => Contents.Batch;
        public string Path => Contents.Path;
        public int Count => Contents.Count;

        /// <summary>The layout the metadata is read with; null only from <see cref="OpenUnchecked"/> when none fits (see <see cref="LayoutProblem"/>).</summary>
        public ClusterLayout? ColumnLayout => Contents.ColumnLayout;

        /// <summary>From <see cref="OpenUnchecked"/>: why no layout could be chosen (null when one was).</summary>
        public string? LayoutProblem { get; }

        /// <summary>Metadata rows, C order: row r's column c is at r × Columns + c. Not to be written to.</summary>
        internal float[] Metadata => Contents.Values;
        public int Columns => Contents.Columns;

        /// <summary>The element type of the metadata and image arrays, e.g. '&lt;f4'.</summary>
        public string MetadataDType => Contents.MetadataDType;
        public string? ImageDType => Contents.ImageDType;

        /// <summary>
        /// Opens <paramref name="path"/>, reads the metadata and the image header. With a null
        /// <paramref name="layout"/> the layout is detected by column count; either way it must
        /// accept the column count and pass its plausibility checks, else this throws
        /// <see cref="NpzErrorCode.LayoutMismatch"/>.
        /// </summary>
        public static BatchFile Open(string path, ClusterLayout? layout = null) => Open(path, layout, checkLayout: true);

        /// <summary>
        /// Opens <paramref name="path"/> like <see cref="Open(string, ClusterLayout)"/> but without the layout checks, and
        /// verifies the metadata member's CRC-32 (this is the audit's read, which reports findings
        /// instead of refusing). The layout is <paramref name="layout"/> when it accepts the column
        /// count, else the built-in one for the column count; when neither exists,
        /// <see cref="ColumnLayout"/> is null and <see cref="LayoutProblem"/> says why. Nothing falls
        /// back to a layout that does not fit.
        /// </summary>
        public static BatchFile OpenUnchecked(string path, ClusterLayout? layout = null) => Open(path, layout, checkLayout: false);

        /// <summary>
        /// Opens, reads and closes <paramref name="path"/> as <see cref="Open(string, ClusterLayout)"/> does, and returns what
        /// was read: a value that holds no file handle, for work done after the file is closed
        /// (statistics on another thread, for example).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static BatchMetadata ReadMetadata(string path, ClusterLayout? layout = null)
        {
            using BatchFile file = Open(path, layout);
            return file.Contents;
        }

        /// <summary>
        /// Opens, reads and closes <paramref name="path"/> as <see cref="Open(string, ClusterLayout)"/> does, and
        /// returns only its tally: the statistics' read. The metadata rows live in a pooled buffer
        /// while they are counted, so counting a dataset allocates little per file.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static FileTally Tally(string path, ClusterLayout? layout = null)
        {
            float[]? rows = null;
            try
            {
                using BatchFile file = Open(path, layout, checkLayout: true, n => rows = ArrayPool<float>.Shared.Rent(n));
                return FileTally.Of(file.Contents);
            }
            finally
            {
                if (rows != null) ArrayPool<float>.Shared.Return(rows);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static BatchFile Open(string path, ClusterLayout? layout, bool checkLayout, Func<int, float[]>? allocateRows = null)
        {
            NpzArchive archive = NpzArchive.Open(path);
            try
            {
                return archive.Guard(() => Read(archive, path, layout, checkLayout, allocateRows));
            }
            catch
            {
                archive.Dispose();
                throw;
            }
        }

        /// <summary>Opens the image array for forward reading of rows (one row = one cluster image).</summary>
        /// <remarks>Reading every row checks the member's CRC-32.</remarks>
        internal NpyArray OpenImages()
        {
            if (_imagesMember == null)
            {
                throw new NpzFormatException(Path, NpzErrorCode.MissingMember, "it has no 'images' array (it holds metadata only)");
            }

            return _archive.Guard(() => NpyArray.Open(_archive, _imagesMember));
        }

        public void Dispose() => _archive.Dispose();

        /// <summary>Reads the metadata (its CRC-32 verified: the whole member is read) and the image header.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static BatchFile Read(NpzArchive archive, string path, ClusterLayout? layout, bool checkLayout, Func<int, float[]>? allocateRows)
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

                metadata = meta.ReadAll(allocateRows);
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
            (Plane? filePlane, int? batchNumber) = BatchFileName.Parse(name);
            string? layoutProblem = null;
            ClusterLayout? chosen = checkLayout
                ? CheckedLayout(path, layout, metadata, (int)rows, (int)columns, filePlane)
                : ChooseLayout(layout, columns, out layoutProblem);
            Plane? plane = filePlane ?? (chosen == null ? null : PlaneFromMetadata(metadata, (int)rows, (int)columns, chosen));

            var batch = new ClusterBatch(path, name, plane, batchNumber, (int)rows, shape, chosen,
                archive.Length, compressed, BatchFileStamp.Of(archive));
            return new BatchFile(archive, imagesMember, new BatchMetadata(batch, metadata, (int)columns, metadataDType, imageDType), layoutProblem);
        }

        /// <summary>
        /// The layout to read <paramref name="columns"/> columns with: <paramref name="layout"/> if it
        /// accepts them, else (none given) the built-in one for that count; null, with the reason,
        /// when there is none.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static ClusterLayout? ChooseLayout(ClusterLayout? layout, long columns, out string? problem)
        {
            problem = null;
            if (layout == null)
            {
                layout = ClusterLayout.ForColumnCount(columns);
                if (layout == null)
                {
                    problem = $"its metadata has {columns} columns, which matches no built-in layout (Seed12 has 12, Legacy11 11, Momentum15 15)";
                }

                return layout;
            }

            if (layout.Accepts(columns)) return layout;
            problem = $"its metadata has {columns} columns but layout {layout.Name} expects {layout.ColumnCount}";
            return null;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static ClusterLayout CheckedLayout(string path, ClusterLayout? layout, float[] metadata, int rows, int columns, Plane? filePlane)
        {
            ClusterLayout chosen = ChooseLayout(layout, columns, out string? problem)
                ?? throw new NpzFormatException(path, NpzErrorCode.LayoutMismatch, $"{problem}; {LayoutHint}");
            string? implausible = chosen.CheckPlausibility(metadata, rows, columns, filePlane);
            if (implausible != null)
            {
                throw new NpzFormatException(path, NpzErrorCode.LayoutMismatch,
                    $"its metadata has {columns} columns and does not fit layout {chosen.Name}: {implausible}; {LayoutHint}");
            }

            return chosen;
        }

        /// <summary>The plane every row names, when they all name the same one (for a file whose name has none).</summary>
        private static Plane? PlaneFromMetadata(float[] metadata, int rows, int columns, ClusterLayout layout)
        {
            int col = layout.Column(ClusterField.PlaneId);
            if (col < 0 || col >= columns || rows == 0) return null;
            float first = metadata[col];
            for (int r = 1; r < rows; r++)
            {
                if (metadata[r * columns + col] != first) return null;
            }

            return MetadataRules.PlaneOf(first);
        }
    }
}
