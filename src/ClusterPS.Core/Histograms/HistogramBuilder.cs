using System;
using System.Collections.Generic;

namespace ClusterPS
{
    /// <summary>One file's (or cluster's) values of a histogram's property, with the group of each.</summary>
    public sealed class HistogramSample
    {
        internal HistogramSample(double[] values, byte[] groups)
        {
            Values = values;
            Groups = groups;
        }

        /// <summary>One value per cluster; NaN where the cluster has none.</summary>
        internal double[] Values { get; }

        /// <summary>One group index per cluster (see <see cref="HistogramField.GroupNames"/>).</summary>
        internal byte[] Groups { get; }
    }

    /// <summary>
    /// Builds the histograms of one property, one per group, from batch files and clusters. With a
    /// given -Minimum and -Maximum values are binned as they come and only counts are kept; when
    /// the range comes from the data, each value is kept (8 bytes per cluster, never pixels) until
    /// <see cref="Finish"/> knows the range over all groups, so that every group shares its edges.
    /// </summary>
    public sealed class HistogramBuilder
    {
        private readonly ClusterField? _field;
        private readonly int _bins;
        private readonly double? _minimum, _maximum;
        private readonly IReadOnlyList<string> _groupNames;
        private readonly ClusterHistogram?[] _binned;
        private readonly List<double>?[] _values;
        private readonly long[] _missing;
        private readonly bool[] _seen;

        public HistogramBuilder(string property, HistogramGroupBy groupBy, int bins, double? minimum = null, double? maximum = null)
        {
            Property = HistogramField.Canonical(property)
                ?? throw new ArgumentException($"'{property}' is not a property a histogram can be made of; use one of {string.Join(", ", HistogramField.Names)}.", nameof(property));
            if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "A histogram needs at least one bin.");
            if (minimum > maximum) throw new ArgumentException(FormattableString.Invariant($"-Minimum ({minimum}) is above -Maximum ({maximum})."));
            _field = HistogramField.FieldOf(Property);
            GroupBy = groupBy;
            _bins = bins;
            _minimum = minimum;
            _maximum = maximum;
            _groupNames = HistogramField.GroupNames(groupBy);
            _binned = new ClusterHistogram?[_groupNames.Count];
            _values = new List<double>?[_groupNames.Count];
            _missing = new long[_groupNames.Count];
            _seen = new bool[_groupNames.Count];
        }

        public string Property { get; }
        public HistogramGroupBy GroupBy { get; }

        /// <summary>True for Charge: the values come from the pixels.</summary>
        public bool NeedsPixels => _field == null;

        private bool RangeGiven => _minimum.HasValue && _maximum.HasValue;

        /// <summary>
        /// A file's values: from the metadata, or for Charge from <paramref name="charges"/> (one per
        /// cluster), else from one pass over its images. Safe to call on any thread.
        /// </summary>
        public HistogramSample Read(BatchFile file, Func<bool>? stopping = null, double[]? charges = null)
        {
            var groups = new byte[file.Count];
            double[] values = _field == null ? charges ?? ChargeScan.All(file, stopping) : new double[file.Count];
            for (int r = 0; r < file.Count; r++)
            {
                var row = new ReadOnlySpan<float>(file.Metadata, r * file.Columns, file.Columns);
                groups[r] = HistogramField.GroupOf(GroupBy, row, file.ColumnLayout!, file.Batch.WirePlane);
                if (_field != null) values[r] = HistogramField.ValueOf(row, file.ColumnLayout!, file.Batch.WirePlane, _field.Value);
            }

            return new HistogramSample(values, groups);
        }

        /// <summary>One cluster's value; Charge reads its image if it has not been read.</summary>
        public HistogramSample Read(Cluster cluster)
        {
            ClusterBatch batch = cluster.Batch;
            byte group = HistogramField.GroupOf(GroupBy, cluster.Metadata, cluster.ColumnLayout, batch.WirePlane);
            double value = _field == null
                ? (cluster.HasImage ? cluster.Charge : double.NaN)
                : HistogramField.ValueOf(cluster.Metadata, cluster.ColumnLayout, batch.WirePlane, _field.Value);
            return new HistogramSample(new[] { value }, new[] { group });
        }

        public void Add(HistogramSample sample)
        {
            for (int i = 0; i < sample.Values.Length; i++) Add(sample.Groups[i], sample.Values[i]);
        }

        /// <summary>
        /// The histograms, one per group that had clusters, in the grouping's order; with no clusters
        /// at all and no grouping, one empty 'All' histogram (over 0 … 1 unless a range was given, as
        /// NumPy does).
        /// </summary>
        public IReadOnlyList<ClusterHistogram> Finish()
        {
            if (GroupBy == HistogramGroupBy.None) _seen[0] = true;
            double[] edges = RangeGiven ? Edges(_minimum!.Value, _maximum!.Value) : Edges(DataRange());
            var result = new List<ClusterHistogram>();
            for (int g = 0; g < _groupNames.Count; g++)
            {
                if (!_seen[g]) continue;
                ClusterHistogram histogram = _binned[g] ?? ClusterHistogram.Empty(Property, _groupNames[g], edges);
                foreach (double v in _values[g] ?? new List<double>()) histogram.Add(v);
                histogram.AddMissing(_missing[g]);
                result.Add(histogram);
            }

            return result;
        }

        private void Add(byte group, double value)
        {
            _seen[group] = true;
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                _missing[group]++;
            }
            else if (RangeGiven)
            {
                (_binned[group] ??= ClusterHistogram.Empty(Property, _groupNames[group], Edges(_minimum!.Value, _maximum!.Value))).Add(value);
            }
            else
            {
                (_values[group] ??= new List<double>()).Add(value);
            }
        }

        /// <summary>The range: each bound as given, else the data's (over every group); 0 … 1 with no values.</summary>
        private (double First, double Last) DataRange()
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (List<double>? values in _values)
            {
                if (values == null) continue;
                foreach (double v in values)
                {
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
            }

            bool empty = min > max;
            double first = _minimum ?? (empty ? (_maximum.HasValue ? Math.Min(0, _maximum.Value - 1) : 0) : min);
            double last = _maximum ?? (empty ? first + 1 : max);
            return (first, last);
        }

        private double[] Edges((double First, double Last) range) => Edges(range.First, range.Last);

        private double[] Edges(double first, double last)
        {
            if (first > last)
            {
                throw new ArgumentException(_minimum.HasValue
                    ? FormattableString.Invariant($"-Minimum ({first}) is above every value of {Property} (the largest is {last}); lower it or give -Maximum too.")
                    : FormattableString.Invariant($"-Maximum ({last}) is below every value of {Property} (the smallest is {first}); raise it or give -Minimum too."));
            }

            return ClusterHistogram.EqualWidthEdges(first, last, _bins);
        }
    }
}
