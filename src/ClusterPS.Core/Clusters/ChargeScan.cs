using System;
using System.Linq;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>Every cluster's charge in a batch file, from one streaming pass over its images.</summary>
    internal static class ChargeScan
    {
        /// <summary>
        /// The charge (sum of pixels, in double precision) of every cluster of <paramref name="file"/>,
        /// reading each image row once from a reused buffer and verifying the images member's CRC-32
        /// (the whole member is read). <paramref name="visit"/>, when given, sees every row too. A
        /// file without images gives NaN charges; a stop leaves the unread ones NaN.
        /// </summary>
        public static double[] All(BatchFile file, Func<bool>? stopping = null, RowVisitor? visit = null)
        {
            var charges = Enumerable.Repeat(double.NaN, file.Count).ToArray();
            if (file.Batch.ImageShape == null || file.Count == 0) return charges;
            using NpyArray images = file.OpenImages();
            RowWalker.Visit(images, Enumerable.Range(0, file.Count).ToArray(), (row, pixels) =>
            {
                charges[row] = PixelMath.Sum(pixels);
                visit?.Invoke(row, pixels);
            }, stopping);
            return charges;
        }
    }
}
