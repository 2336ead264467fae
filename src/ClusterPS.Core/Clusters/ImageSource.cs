using System;
using System.Collections.Generic;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>
    /// Loads, on first demand, the images of a known set of clusters of one batch file, reading
    /// only their rows, in one pass over the file. The clusters that Select-Cluster emits from a
    /// batch share one source, so touching one image loads the batch's selected images together
    /// and nothing is read for pipelines that never look at pixels.
    /// </summary>
    internal sealed class ImageSource
    {
        /// <summary>Chunks stay below the 85,000-byte large-object threshold, so they die young in gen 0/1.</summary>
        private const int ChunkBytes = 81920;

        private readonly string _path;
        private readonly BatchFileStamp _stamp;
        private readonly int[] _indices; // ascending
        private readonly int _perChunk;
        private readonly object _gate = new object();
        private float[][]? _chunks;
        private NpzFormatException? _failure;

        /// <param name="stamp">The file as it was when the clusters were read: a file that no longer matches it is not read.</param>
        public ImageSource(string path, ImageShape shape, BatchFileStamp stamp, int[] indices)
        {
            _path = path;
            _stamp = stamp;
            Shape = shape;
            _indices = indices;
            _perChunk = Math.Max(1, ChunkBytes / (shape.Pixels * sizeof(float)));
        }

        public ImageShape Shape { get; }

        /// <summary>The pixels of the <paramref name="slot"/>-th cluster of this source (C order, ticks × channels).</summary>
        public ReadOnlySpan<float> Pixels(int slot)
        {
            float[][] chunks = _chunks ?? Load();
            return new ReadOnlySpan<float>(chunks[slot / _perChunk], slot % _perChunk * Shape.Pixels, Shape.Pixels);
        }

        /// <summary>
        /// Reads the selected images in one pass (verifying the member's CRC-32 when they are all
        /// of its rows). They are kept in chunks of a few images rather than one block per batch:
        /// a block of a megabyte or more per batch went to the large-object heap and pushed an
        /// extraction's peak memory far above its working need. A failure is kept and thrown again
        /// for the source's other clusters, without reading the file once per cluster.
        /// </summary>
        private float[][] Load()
        {
            lock (_gate)
            {
                if (_chunks != null) return _chunks;
                if (_failure != null) throw _failure;
                try
                {
                    return _chunks = Read();
                }
                catch (NpzFormatException ex)
                {
                    _failure = ex;
                    throw;
                }
            }
        }

        private float[][] Read()
        {
            int pixels = Shape.Pixels;
            var chunks = new float[(_indices.Length + _perChunk - 1) / _perChunk][];
            for (int c = 0; c < chunks.Length; c++)
            {
                chunks[c] = new float[Math.Min(_perChunk, _indices.Length - c * _perChunk) * pixels];
            }

            // The file is opened again, and it may have been replaced or rewritten meanwhile: only a
            // file that still matches its stamp is read. Only the images member is opened: the
            // metadata was read when the clusters were selected.
            using (NpzArchive archive = NpzArchive.Open(_path))
            {
                _stamp.Check(archive);
                using NpyArray images = archive.OpenArray(archive.Find("images")
                    ?? throw new NpzFormatException(_path, NpzErrorCode.MissingMember, "its 'images' array is gone since the file was read"));
                long[] s = images.Header.Shape;
                if (s.Length != 3 || s[1] != Shape.Ticks || s[2] != Shape.Channels || (_indices.Length > 0 && _indices[_indices.Length - 1] >= s[0]))
                {
                    throw new NpzFormatException(_path, NpzErrorCode.InvalidShape,
                        $"its images changed shape since it was read (now {images.Header.ShapeText})");
                }

                RowWalker.Visit(images, _indices, (slot, row) =>
                    row.CopyTo(new Span<float>(chunks[slot / _perChunk], slot % _perChunk * pixels, pixels)));
            }

            return chunks;
        }
    }

    /// <summary>Receives one wanted image row: its position in the wanted list and its pixels.</summary>
    internal delegate void RowVisitor(int ordinal, ReadOnlySpan<float> pixels);

    /// <summary>
    /// Reads wanted rows of an image array in order: each run of consecutive wanted rows in one
    /// read (up to a chunk), the rows between runs skipped (a seek for stored members).
    /// </summary>
    internal static class RowWalker
    {
        private const int ChunkBytes = 1 << 19;

        /// <param name="wanted">Row indices in ascending order.</param>
        public static void Visit(NpyArray images, IReadOnlyList<int> wanted, RowVisitor visit, Func<bool>? stopping = null)
        {
            int rowElements = checked((int)images.RowElements);
            int chunkRows = Math.Max(1, ChunkBytes / Math.Max(1, rowElements * images.Header.DType.ItemSize));
            long position = 0;
            int i = 0;
            while (i < wanted.Count)
            {
                if (stopping != null && stopping()) return;
                int start = wanted[i];
                images.SkipRows(start - position);
                int j = i + 1;
                int end = start + 1;
                while (j < wanted.Count && wanted[j] == end && end - start < chunkRows)
                {
                    end++;
                    j++;
                }

                ReadOnlySpan<float> rows = images.ReadRows(end - start);
                for (int k = i; k < j; k++)
                {
                    visit(k, rows.Slice((wanted[k] - start) * rowElements, rowElements));
                }

                position = end;
                i = j;
            }
        }
    }
}
