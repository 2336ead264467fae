using System;
using System.Globalization;
using System.Linq;

namespace ClusterPS
{
    /// <summary>
    /// The distribution of one field over one group of clusters, binned as <c>np.histogram</c> bins
    /// float64 values: equal-width bins between <see cref="Edges"/>, each closed on the left, the
    /// last one closed on the right too. Values below or above the edges count as
    /// <see cref="Underflow"/> and <see cref="Overflow"/>; clusters without a usable value (NaN,
    /// ±Inf, an unknown neutrino energy, a field the layout lacks) count as <see cref="Missing"/>.
    /// All state is in the public properties, and <see cref="FromParts"/> rebuilds an object from
    /// them (for rehydration after serialization). Histograms with equal edges merge.
    /// </summary>
    public sealed class ClusterHistogram : IClusterData
    {
        private ClusterHistogram(string property, string group, double[] edges, long[] counts, long underflow, long overflow, long missing)
        {
            Property = property;
            Group = group;
            Edges = edges;
            Counts = counts;
            Underflow = underflow;
            Overflow = overflow;
            Missing = missing;
        }

        /// <summary>The field, e.g. "ParticleEnergy" or "Charge".</summary>
        public string Property { get; }

        /// <summary>"All", or the class: "Marley"/"Background", "ES"/"CC", "U"/"V"/"X", "MainTrack"/"Secondary".</summary>
        public string Group { get; }

        /// <summary>Bins + 1 ascending bin edges.</summary>
        public double[] Edges { get; }

        /// <summary>Values per bin.</summary>
        public long[] Counts { get; }

        /// <summary>Values below the first edge (only a given -Minimum leaves any).</summary>
        public long Underflow { get; private set; }

        /// <summary>Values above the last edge (only a given -Maximum leaves any).</summary>
        public long Overflow { get; private set; }

        /// <summary>Clusters without a usable value: NaN or ±Inf, neutrino energy unknown (-1), field not in the layout, no image (Charge).</summary>
        public long Missing { get; private set; }

        /// <summary>Every value counted: the bins plus underflow and overflow (not the missing ones).</summary>
        public long Total => Counts.Sum() + Underflow + Overflow;

        public int Bins => Counts.Length;

        /// <summary>Rebuilds a histogram from its parts, checking that they fit together.</summary>
        public static ClusterHistogram FromParts(string property, string group, double[] edges, long[] counts, long underflow, long overflow, long missing)
        {
            if (string.IsNullOrEmpty(property)) throw new ArgumentException("A histogram needs a property name.", nameof(property));
            if (string.IsNullOrEmpty(group)) throw new ArgumentException("A histogram needs a group name.", nameof(group));
            if (edges == null || counts == null || counts.Length == 0 || edges.Length != counts.Length + 1)
            {
                throw new ArgumentException("A histogram needs at least one bin and one more edge than bins.");
            }

            for (int i = 0; i < edges.Length; i++)
            {
                if (double.IsNaN(edges[i]) || double.IsInfinity(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1])))
                {
                    throw new ArgumentException("A histogram's edges must be finite and ascending.", nameof(edges));
                }
            }

            if (underflow < 0 || overflow < 0 || missing < 0 || counts.Any(c => c < 0))
            {
                throw new ArgumentException("A histogram's counts cannot be negative.");
            }

            return new ClusterHistogram(property, group, (double[])edges.Clone(), (long[])counts.Clone(), underflow, overflow, missing);
        }

        /// <summary>An empty histogram over the given edges.</summary>
        public static ClusterHistogram Empty(string property, string group, double[] edges) =>
            FromParts(property, group, edges, new long[edges.Length - 1], 0, 0, 0);

        /// <summary>
        /// <paramref name="bins"/> equal-width bins from <paramref name="first"/> to <paramref name="last"/>,
        /// computed as <c>np.linspace(first, last, bins + 1)</c>; when the two are equal, NumPy's
        /// histogram widens the range to first - 0.5 … last + 0.5, and so does this.
        /// </summary>
        public static double[] EqualWidthEdges(double first, double last, int bins)
        {
            if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "A histogram needs at least one bin.");
            if (double.IsNaN(first) || double.IsNaN(last) || double.IsInfinity(first) || double.IsInfinity(last))
            {
                throw new ArgumentException("The range of a histogram must be finite.");
            }

            if (first > last)
            {
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "The range of a histogram must not end ({0:R}) below its start ({1:R}).", last, first));
            }

            if (first == last)
            {
                first -= 0.5;
                last += 0.5;
            }

            var edges = new double[bins + 1];
            double step = (last - first) / bins;
            for (int i = 0; i < bins; i++) edges[i] = i * step + first;
            edges[bins] = last;
            return edges;
        }

        /// <summary>Counts one value: in its bin, as underflow or overflow, or as missing when it is not finite.</summary>
        public void Add(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                Missing++;
                return;
            }

            int n = Counts.Length;
            double first = Edges[0], last = Edges[n];
            if (value < first)
            {
                Underflow++;
                return;
            }

            if (value > last)
            {
                Overflow++;
                return;
            }

            // As np.histogram does: an estimate, then a correction against the edges themselves.
            int i = (int)((value - first) * (n / (last - first)));
            if (i >= n) i = n - 1;
            if (value < Edges[i]) i--;
            else if (i != n - 1 && value >= Edges[i + 1]) i++;
            Counts[i]++;
        }

        /// <summary>Counts clusters that have no usable value.</summary>
        public void AddMissing(long count) => Missing += count;

        /// <summary>True when both have exactly the same edges, so their counts can be added.</summary>
        public bool HasSameBins(ClusterHistogram other) => other != null && Edges.SequenceEqual(other.Edges);

        /// <summary>
        /// Adds histograms of one property and group over the same edges (from other files, runs or
        /// machines); PowerShell also offers this as <c>$a + $b</c>.
        /// </summary>
        public static ClusterHistogram Merge(params ClusterHistogram[] parts)
        {
            if (parts == null || parts.Length == 0) throw new ArgumentException("There is no histogram to merge.", nameof(parts));
            ClusterHistogram first = parts[0];
            var counts = new long[first.Counts.Length];
            long underflow = 0, overflow = 0, missing = 0;
            foreach (ClusterHistogram part in parts)
            {
                if (part.Property != first.Property || part.Group != first.Group)
                {
                    throw new ArgumentException($"Cannot merge the {part.Property} histogram of group {part.Group} into the {first.Property} histogram of group {first.Group}: only histograms of one property and group merge.");
                }

                if (!part.HasSameBins(first))
                {
                    throw new ArgumentException($"Cannot merge {first.Property} histograms of group {first.Group} with different bin edges ({first.RangeText()} and {part.RangeText()}); make them with the same -Bins, -Minimum and -Maximum.");
                }

                for (int b = 0; b < counts.Length; b++) counts[b] += part.Counts[b];
                underflow += part.Underflow;
                overflow += part.Overflow;
                missing += part.Missing;
            }

            return new ClusterHistogram(first.Property, first.Group, (double[])first.Edges.Clone(), counts, underflow, overflow, missing);
        }

        public static ClusterHistogram operator +(ClusterHistogram a, ClusterHistogram b) => Merge(a, b);

        public override string ToString() => $"{Property} ({Group}): {Total} values, {RangeText()}";

        private string RangeText() => string.Format(CultureInfo.InvariantCulture, "{0} bins from {1:G6} to {2:G6}", Bins, Edges[0], Edges[Edges.Length - 1]);
    }
}
