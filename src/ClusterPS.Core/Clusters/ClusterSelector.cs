using System;
using System.Collections.Generic;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>Turns a batch file into the clusters that pass a filter.</summary>
    public static class ClusterSelector
    {
        /// <summary>
        /// The clusters of <paramref name="file"/> that pass <paramref name="filter"/>, in file order.
        /// Metadata conditions are decided first; with a charge bound, only the image rows of the
        /// clusters that passed them are read (summed straight from the read buffer; when they are
        /// every row, the member's CRC-32 is checked too). The emitted
        /// clusters share one lazy image source, so their pixels are read again only if asked for.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static IReadOnlyList<Cluster> Select(BatchFile file, ClusterFilter filter, Func<bool>? stopping = null)
        {
            ClusterLayout layout = file.ColumnLayout ?? throw NoLayout(file);
            var candidates = new List<int>();
            float[] meta = file.Metadata;
            int columns = file.Columns;
            for (int r = 0; r < file.Count; r++)
            {
                if (filter.MatchesMetadata(new ReadOnlySpan<float>(meta, r * columns, columns), layout, file.Batch.WirePlane))
                {
                    candidates.Add(r);
                }
            }

            List<int> selected = candidates;
            double[]? charges = null;
            if (filter.NeedsCharge && candidates.Count > 0)
            {
                var sums = new double[candidates.Count];
                if (file.Batch.ImageShape != null)
                {
                    using NpyArray images = file.OpenImages();
                    RowWalker.Visit(images, candidates, (k, pixels) => sums[k] = PixelMath.Sum(pixels), stopping);
                }

                selected = new List<int>();
                var kept = new List<double>();
                for (int k = 0; k < candidates.Count; k++)
                {
                    if (sums[k] >= filter.MinCharge!.Value)
                    {
                        selected.Add(candidates[k]);
                        kept.Add(sums[k]);
                    }
                }

                charges = kept.ToArray();
            }

            int[] indices = selected.ToArray();
            ImageSource? source = file.Batch.ImageShape == null || indices.Length == 0
                ? null
                : new ImageSource(file.Path, file.Batch.ImageShape, file.Batch.Stamp, indices);
            var clusters = new Cluster[indices.Length];
            for (int k = 0; k < indices.Length; k++)
            {
                var row = new float[columns];
                Array.Copy(meta, indices[k] * columns, row, 0, columns);
                clusters[k] = new Cluster(file.Batch, indices[k], row, source, k, charges?[k]);
            }

            return clusters;
        }

        /// <summary>For a file opened unchecked whose layout could not be chosen: its clusters cannot be decoded.</summary>
        internal static InvalidOperationException NoLayout(BatchFile file) =>
            new InvalidOperationException($"{file.Path} was opened without a layout ({file.LayoutProblem}), so its clusters cannot be decoded.");
    }
}
