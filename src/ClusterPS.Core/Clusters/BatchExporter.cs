using System;
using System.Collections.Generic;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>
    /// Gathers clusters into seed-layout batches, one series per plane, each at most
    /// <c>batchSize</c> clusters of one image shape. Holds at most one open batch per plane.
    /// </summary>
    public sealed class BatchExporter
    {
        private readonly int _batchSize;
        private readonly bool? _unknownIsES;
        private readonly PendingBatch?[] _open = new PendingBatch?[3];
        private readonly int[] _nextNumber = new int[3];
        private readonly Stack<PendingBatch> _spare = new Stack<PendingBatch>();

        /// <param name="unknownInteraction">"ES" or "CC" to write for clusters whose interaction is unknown; null refuses them.</param>
        public BatchExporter(int batchSize, string? unknownInteraction)
        {
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
            _batchSize = batchSize;
            _unknownIsES = unknownInteraction == null ? (bool?)null : string.Equals(unknownInteraction, "ES", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// Adds a cluster; returns the batch it completed, if any. Throws <see cref="ClusterNotExportableException"/>
        /// for a cluster that cannot be written faithfully (no image, no plane, unknown interaction
        /// without a choice), and <see cref="NpzFormatException"/> if its image cannot be read.
        /// </summary>
        public IEnumerable<PendingBatch> Add(Cluster cluster)
        {
            float[] row = SeedRow(cluster, out Plane plane);
            if (!cluster.HasImage || cluster.ImageShape == null)
            {
                throw new ClusterNotExportableException($"Cluster {cluster} has no image (its file holds metadata only), so it cannot be written as a batch.");
            }

            ReadOnlySpan<float> pixels = cluster.Pixels;
            int p = (int)plane;
            var completed = new List<PendingBatch>(2);
            PendingBatch? batch = _open[p];
            if (batch != null && !batch.Shape.Equals(cluster.ImageShape))
            {
                completed.Add(batch);
                batch = null;
            }

            if (batch == null)
            {
                batch = _spare.Count > 0 && _spare.Peek().Shape.Equals(cluster.ImageShape)
                    ? _spare.Pop().Reset(plane, _nextNumber[p]++)
                    : new PendingBatch(plane, _nextNumber[p]++, cluster.ImageShape, _batchSize);
                _open[p] = batch;
            }

            batch.Append(row, pixels);
            if (batch.Count == _batchSize)
            {
                completed.Add(batch);
                _open[p] = null;
            }

            return completed;
        }

        /// <summary>
        /// Hands back a batch that has been written, so its 8 MB of buffers serve the next batch
        /// instead of adding to the large-object heap.
        /// </summary>
        public void Recycle(PendingBatch batch)
        {
            if (_spare.Count < 2) _spare.Push(batch);
        }

        /// <summary>The batches still open (partly filled), in plane order.</summary>
        public IEnumerable<PendingBatch> Flush()
        {
            for (int p = 0; p < _open.Length; p++)
            {
                PendingBatch? batch = _open[p];
                _open[p] = null;
                if (batch != null && batch.Count > 0) yield return batch;
            }
        }

        /// <summary>The cluster's metadata in the seed's column order (<see cref="SeedColumn"/>), and its plane.</summary>
        internal float[] SeedRow(Cluster c, out Plane plane)
        {
            plane = c.WirePlane ?? throw new ClusterNotExportableException($"Cluster {c} has no valid plane, so it cannot be filed under a plane's batch series.");

            float? es = c.Value(ClusterField.IsES);
            if (es == null)
            {
                if (_unknownIsES == null)
                {
                    throw new ClusterNotExportableException($"Cluster {c} was read with layout {c.Layout}, which does not record the interaction; pass -UnknownInteraction ES or CC to choose what to write.");
                }

                es = _unknownIsES.Value ? 1f : 0f;
            }

            var row = new float[SeedColumn.Count];
            row[SeedColumn.IsMarley] = c.Value(ClusterField.IsMarley) ?? 0f;
            row[SeedColumn.IsMainTrack] = c.Value(ClusterField.IsMainTrack) ?? 0f;
            row[SeedColumn.PositionX] = c.Value(ClusterField.PositionX) ?? float.NaN;
            row[SeedColumn.PositionY] = c.Value(ClusterField.PositionY) ?? float.NaN;
            row[SeedColumn.PositionZ] = c.Value(ClusterField.PositionZ) ?? float.NaN;
            row[SeedColumn.DirectionX] = c.Value(ClusterField.DirectionX) ?? 0f;
            row[SeedColumn.DirectionY] = c.Value(ClusterField.DirectionY) ?? 0f;
            row[SeedColumn.DirectionZ] = c.Value(ClusterField.DirectionZ) ?? 0f;
            row[SeedColumn.NuEnergy] = c.Value(ClusterField.NuEnergy) ?? MetadataRules.UnknownEnergy;
            row[SeedColumn.ParticleEnergy] = c.Value(ClusterField.ParticleEnergy) ?? float.NaN;
            row[SeedColumn.PlaneId] = (int)plane;
            row[SeedColumn.IsES] = es.Value;
            return row;
        }
    }

    /// <summary>A cluster that cannot be written faithfully as a seed-layout batch row (no image, no plane, or an unknown interaction without a choice).</summary>
    public sealed class ClusterNotExportableException : Exception
    {
        public ClusterNotExportableException(string message)
            : base(message)
        {
        }
    }

    /// <summary>A batch being gathered: seed metadata rows and image pixels, written in one go.</summary>
    public sealed class PendingBatch
    {
        private float[] _metadata;
        private float[] _images;

        internal PendingBatch(Plane plane, int number, ImageShape shape, int capacity)
        {
            Plane = plane;
            Number = number;
            Shape = shape;
            // Room grows as clusters arrive (up to the batch size), so a large -BatchSize costs
            // nothing until it is used.
            _capacity = capacity;
            int initial = Math.Min(capacity, Math.Max(1, (1 << 17) / shape.Pixels));
            _metadata = new float[initial * SeedColumn.Count];
            _images = new float[(long)initial * shape.Pixels];
        }

        private readonly int _capacity;

        public Plane Plane { get; private set; }
        public int Number { get; private set; }
        public ImageShape Shape { get; }
        public int Count { get; private set; }
        public string FileName => BatchFileName.Format(Plane, Number);

        /// <summary>Empties the batch for reuse as another plane's or number's batch.</summary>
        /// <summary>Gives the batch another number before it is written (-Append continues a folder's series).</summary>
        public void Renumber(int number) => Number = number;

        internal PendingBatch Reset(Plane plane, int number)
        {
            Plane = plane;
            Number = number;
            Count = 0;
            return this;
        }

        internal void Append(float[] row, ReadOnlySpan<float> pixels)
        {
            if ((Count + 1) * SeedColumn.Count > _metadata.Length)
            {
                int rows = Math.Min(_capacity, Count * 2);
                Array.Resize(ref _metadata, rows * SeedColumn.Count);
                Array.Resize(ref _images, checked(rows * Shape.Pixels));
            }

            row.CopyTo(_metadata, Count * SeedColumn.Count);
            pixels.CopyTo(new Span<float>(_images, Count * Shape.Pixels, Shape.Pixels));
            Count++;
        }

        /// <summary>Writes the batch to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
        public void Write(string path, bool compress) => AtomicFile.Write(path, stream => WriteTo(stream, compress));

        /// <summary>
        /// Writes the batch into <paramref name="directory"/> under the first free batch number from
        /// <see cref="Number"/> on, never replacing a file (concurrent writers each claim their own
        /// names); <see cref="Number"/> and <see cref="FileName"/> then name the file written.
        /// </summary>
        public string WriteNew(string directory, bool compress)
        {
            Plane plane = Plane;
            Number = AtomicFile.WriteNew(directory, n => BatchFileName.Format(plane, n), Number, stream => WriteTo(stream, compress));
            return System.IO.Path.Combine(directory, FileName);
        }

        private void WriteTo(System.IO.Stream stream, bool compress) =>
            NpzWriter.Write(stream, compress,
                new NpzWriter.Array32("images", new long[] { Count, Shape.Ticks, Shape.Channels }, new ArraySegment<float>(_images, 0, Count * Shape.Pixels)),
                new NpzWriter.Array32("metadata", new long[] { Count, SeedColumn.Count }, new ArraySegment<float>(_metadata, 0, Count * SeedColumn.Count)));
    }
}
