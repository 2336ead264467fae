using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ClusterPS
{
    /// <summary>
    /// The reference helper's dataset numbers: batches, clusters, bytes, and the plane, interaction,
    /// Marley and main-track counts with their percentages, plus energy ranges. Built from batch
    /// files, from clusters (which count their distinct files as batches), or by merging other
    /// statistics (from other runs or machines); <see cref="ToReport"/> prints it like the helper.
    /// </summary>
    public sealed class ClusterStatistics : IClusterData
    {
        private readonly HashSet<string> _files = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _sources = new List<string>();
        private bool _singleFileSource;
        private ClusterBatch? _lastBatch;
        private long _planeU, _planeV, _planeX, _es, _cc, _unknownInteraction, _marley, _mainTrack, _nuUnknown;
        private float _pMin = float.NaN, _pMax = float.NaN, _nuMin = float.NaN, _nuMax = float.NaN;

        /// <summary>What the statistics cover: the directory or file given, or the common folder of the files seen.</summary>
        public string Source
        {
            get
            {
                if (_sources.Count == 1) return _sources[0];
                if (_sources.Count == 0)
                {
                    if (_files.Count == 1) return _files.First();
                    string?[] dirs = _files.Select(f => System.IO.Path.GetDirectoryName(f)).Distinct().ToArray();
                    return dirs.Length == 1 ? dirs[0] ?? "" : string.Join("; ", dirs);
                }

                return string.Join("; ", _sources);
            }
        }

        /// <summary>"File" when the statistics cover one file, else "Directory".</summary>
        public string SourceKind => (_sources.Count == 1 && _singleFileSource) || (_sources.Count == 0 && _files.Count == 1) ? "File" : "Directory";

        public int Batches { get; private set; }
        public long Clusters { get; private set; }
        public long Bytes { get; private set; }

        /// <summary>Bytes in (decimal) megabytes, as the reference helper prints them.</summary>
        public double SizeMB => Math.Round(Bytes / 1e6, 2);

        public long PlaneU => _planeU;
        public long PlaneV => _planeV;
        public long PlaneX => _planeX;
        public double PlaneUPercent => Percent(_planeU);
        public double PlaneVPercent => Percent(_planeV);
        public double PlaneXPercent => Percent(_planeX);

        public long ES => _es;
        public long CC => _cc;

        /// <summary>Clusters whose interaction the layout does not record (Legacy11).</summary>
        public long UnknownInteraction => _unknownInteraction;
        public double ESPercent => Percent(_es);
        public double CCPercent => Percent(_cc);

        public long Marley => _marley;
        public double MarleyPercent => Percent(_marley);
        public long MainTrack => _mainTrack;
        public double MainTrackPercent => Percent(_mainTrack);

        /// <summary>Particle energy range in MeV (null with no clusters).</summary>
        public float? ParticleEnergyMin => Nullable(_pMin);
        public float? ParticleEnergyMax => Nullable(_pMax);

        /// <summary>Neutrino energy range in MeV over clusters where it is known.</summary>
        public float? NuEnergyMin => Nullable(_nuMin);
        public float? NuEnergyMax => Nullable(_nuMax);

        /// <summary>Clusters whose neutrino energy is not available (-1).</summary>
        public long NuEnergyUnknown => _nuUnknown;

        /// <summary>Records an input the user named: a directory or a single file.</summary>
        public void AddSource(string path, bool isFile)
        {
            if (_sources.Contains(path)) return;
            _sources.Add(path);
            _singleFileSource = isFile;
        }

        /// <summary>Counts a whole batch file from its metadata; a file already counted is skipped.</summary>
        public void Add(BatchMetadata file)
        {
            ClusterLayout layout = file.ColumnLayout ?? throw new InvalidOperationException($"{file.Path} was read without a layout, so its clusters cannot be counted.");
            if (CountFile(file.Batch)) CountRows(file.Values, file.Count, file.Columns, layout, file.Batch.WirePlane);
        }

        /// <summary>Counts an open batch file, as <see cref="Add(BatchMetadata)"/>.</summary>
        public void Add(BatchFile file) => Add(file.Contents);

        /// <summary>Counts one cluster; its file counts once as a batch.</summary>
        public void Add(Cluster cluster)
        {
            CountFile(cluster.Batch);
            CountRows(cluster.Metadata, 1, cluster.Metadata.Length, cluster.ColumnLayout, cluster.Batch.WirePlane);
        }

        /// <summary>Adds another run's statistics: counts and sizes add up, ranges widen.</summary>
        public void Add(ClusterStatistics other)
        {
            foreach (string s in other._sources) AddSource(s, other._singleFileSource);
            foreach (string f in other._files) _files.Add(f);
            Batches += other.Batches;
            Clusters += other.Clusters;
            Bytes += other.Bytes;
            _planeU += other._planeU;
            _planeV += other._planeV;
            _planeX += other._planeX;
            _es += other._es;
            _cc += other._cc;
            _unknownInteraction += other._unknownInteraction;
            _marley += other._marley;
            _mainTrack += other._mainTrack;
            _nuUnknown += other._nuUnknown;
            Widen(ref _pMin, ref _pMax, other._pMin);
            Widen(ref _pMin, ref _pMax, other._pMax);
            Widen(ref _nuMin, ref _nuMax, other._nuMin);
            Widen(ref _nuMin, ref _nuMax, other._nuMax);
        }

        /// <summary>Merges statistics; PowerShell also offers this as <c>$a + $b</c>.</summary>
        public static ClusterStatistics Merge(params ClusterStatistics[] parts)
        {
            var merged = new ClusterStatistics();
            foreach (ClusterStatistics p in parts) merged.Add(p);
            return merged;
        }

        public static ClusterStatistics operator +(ClusterStatistics a, ClusterStatistics b) => Merge(a, b);

        /// <summary>The text the reference helper prints.</summary>
        public string ToReport()
        {
            var sb = new StringBuilder();
            sb.Append("Dataset Statistics:\n");
            sb.Append("  ").Append(SourceKind).Append(": ").Append(Source).Append('\n');
            sb.Append("  Total batches: ").Append(Batches.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("  Total clusters: ").Append(Clusters.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("  Total size: ").Append((Bytes / 1e6).ToString("F2", CultureInfo.InvariantCulture)).Append(" MB\n\n");
            sb.Append("  Plane distribution:\n");
            Line(sb, "    U", _planeU);
            Line(sb, "    V", _planeV);
            Line(sb, "    X", _planeX);
            sb.Append("\n  Interaction types:\n");
            Line(sb, "    ES", _es);
            Line(sb, "    CC", _cc);
            if (_unknownInteraction > 0) Line(sb, "    Unknown", _unknownInteraction);
            sb.Append('\n');
            Line(sb, "  Marley clusters", _marley);
            Line(sb, "  Main track clusters", _mainTrack);
            return sb.ToString().TrimEnd('\n');
        }

        public override string ToString() => ToReport();

        private void Line(StringBuilder sb, string label, long count) =>
            sb.Append(label).Append(": ").Append(count.ToString(CultureInfo.InvariantCulture))
              .Append(" (").Append(PercentText(count)).Append("%)\n");

        private string PercentText(long count) =>
            (Clusters == 0 ? 0.0 : 100.0 * count / Clusters).ToString("F1", CultureInfo.InvariantCulture);

        private double Percent(long count) => double.Parse(PercentText(count), CultureInfo.InvariantCulture);

        private bool CountFile(ClusterBatch batch)
        {
            // Clusters arrive batch by batch: most of them belong to the batch just seen.
            if (ReferenceEquals(batch, _lastBatch)) return false;
            _lastBatch = batch;
            if (!_files.Add(batch.Path)) return false;
            Batches++;
            Bytes += batch.Length;
            return true;
        }

        /// <summary>
        /// Counts <paramref name="rows"/> metadata rows of <paramref name="columns"/> values each. The
        /// columns are looked up once; a field the layout lacks, or a column past the row's end, counts
        /// as unknown.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Loop)]
        private void CountRows(ReadOnlySpan<float> meta, int rows, int columns, ClusterLayout layout, Plane? batchPlane)
        {
            int Col(ClusterField f) => layout.Column(f) < columns ? layout.Column(f) : -1;
            bool planeFromBatch = !layout.Has(ClusterField.PlaneId); // as MetadataRules.PlaneOf(row, layout, batchPlane)
            int plane = Col(ClusterField.PlaneId);
            int es = Col(ClusterField.IsES), marley = Col(ClusterField.IsMarley), main = Col(ClusterField.IsMainTrack);
            int energy = Col(ClusterField.ParticleEnergy), nu = Col(ClusterField.NuEnergy);

            // Counted in locals and added once: this loop runs for every cluster of a dataset.
            long u = 0, v = 0, x = 0, esCount = 0, ccCount = 0, marleyCount = 0, mainCount = 0, nuUnknown = 0;
            float pMin = float.PositiveInfinity, pMax = float.NegativeInfinity, nuMin = float.PositiveInfinity, nuMax = float.NegativeInfinity;
            for (int r = 0, o = 0; r < rows; r++, o += columns)
            {
                Plane? p = planeFromBatch ? batchPlane : plane >= 0 ? MetadataRules.PlaneOf(meta[o + plane]) : null;
                if (p == ClusterPS.Plane.U) u++;
                else if (p == ClusterPS.Plane.V) v++;
                else if (p == ClusterPS.Plane.X) x++;

                if (es >= 0)
                {
                    if (MetadataRules.IsSet(meta[o + es])) esCount++;
                    else ccCount++;
                }

                if (marley >= 0 && MetadataRules.IsSet(meta[o + marley])) marleyCount++;
                if (main >= 0 && MetadataRules.IsSet(meta[o + main])) mainCount++;
                if (energy >= 0)
                {
                    float e = meta[o + energy];
                    if (e < pMin) pMin = e;
                    if (e > pMax) pMax = e;
                }

                float n = nu >= 0 ? meta[o + nu] : MetadataRules.UnknownEnergy;
                if (MetadataRules.IsUnknownEnergy(n))
                {
                    nuUnknown++;
                }
                else
                {
                    if (n < nuMin) nuMin = n;
                    if (n > nuMax) nuMax = n;
                }
            }

            Clusters += rows;
            _planeU += u;
            _planeV += v;
            _planeX += x;
            _es += esCount;
            _cc += ccCount;
            if (es < 0) _unknownInteraction += rows;
            _marley += marleyCount;
            _mainTrack += mainCount;
            _nuUnknown += nuUnknown;
            if (pMin <= pMax)
            {
                Widen(ref _pMin, ref _pMax, pMin);
                Widen(ref _pMin, ref _pMax, pMax);
            }

            if (nuMin <= nuMax)
            {
                Widen(ref _nuMin, ref _nuMax, nuMin);
                Widen(ref _nuMin, ref _nuMax, nuMax);
            }
        }

        private static void Widen(ref float min, ref float max, float value)
        {
            if (float.IsNaN(value)) return;
            if (float.IsNaN(min) || value < min) min = value;
            if (float.IsNaN(max) || value > max) max = value;
        }

        private static float? Nullable(float v) => float.IsNaN(v) ? (float?)null : v;
    }
}
