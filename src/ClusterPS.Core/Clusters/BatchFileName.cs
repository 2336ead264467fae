using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ClusterPS
{
    /// <summary>
    /// What a batch file's name says: its plane and batch number. Two conventions exist:
    /// <c>clusters_plane{U|V|X}_batch{NNNN}.npz</c> and, in newer productions, <c>&lt;base&gt;_plane{U|V|X}.npz</c>.
    /// </summary>
    public static class BatchFileName
    {
        private static readonly Regex Batch = new Regex(@"_plane(?<plane>[UVX])_batch(?<n>\d{1,9})(?!\d)", RegexOptions.CultureInvariant);
        private static readonly Regex PlaneOnly = new Regex(@"_plane(?<plane>[UVX])(?=\.npz$|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>The plane and the batch number a name gives (either may be missing), from one look at it.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static (Plane? Plane, int? BatchNumber) Parse(string fileName)
        {
            Match m = Batch.Match(fileName);
            if (m.Success) return (PlaneIn(m), int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));
            m = PlaneOnly.Match(fileName);
            return (m.Success ? PlaneIn(m) : (Plane?)null, null);
        }

        public static Plane? PlaneOf(string fileName) => Parse(fileName).Plane;

        public static int? BatchNumberOf(string fileName) => Parse(fileName).BatchNumber;

        private static Plane PlaneIn(Match m) => (Plane)Enum.Parse(typeof(Plane), m.Groups["plane"].Value.ToUpperInvariant());

        /// <summary>True for a name exactly as <see cref="Format"/> writes it (what Export-ClusterBatch writes).</summary>
        public static bool IsSeedName(string fileName) =>
            Parse(fileName) is (Plane plane, int number) && Format(plane, number) == fileName;

        /// <summary>The seed's name for a batch: clusters_planeX_batch0007.npz.</summary>
        public static string Format(Plane plane, int batchNumber) =>
            string.Format(CultureInfo.InvariantCulture, "clusters_plane{0}_batch{1:D4}.npz", plane, batchNumber);
    }
}
