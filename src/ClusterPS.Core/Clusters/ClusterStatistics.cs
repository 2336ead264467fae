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
    /// statistics (from other runs, jobs or machines); <see cref="ToReport"/> prints it like the helper.
    /// </summary>
    /// <remarks>
    /// Every number is derived from a per-file tally (<see cref="FileTally"/>) that remembers which
    /// clusters of the file were counted and in which categories. Merging is therefore a union: a
    /// file, or a cluster, counted by two inputs counts once, and statistics of disjoint selections
    /// of one file (Marley and background, say) add up exactly.
    /// </remarks>
    public sealed class ClusterStatistics : IClusterData
    {
        private readonly Dictionary<string, FileTally> _files = new Dictionary<string, FileTally>(StringComparer.Ordinal);
        private readonly List<string> _sources = new List<string>();
        private readonly long[] _categories = new long[ClusterCategory.Count];
        private bool _singleFileSource;
        private ClusterBatch? _lastBatch;
        private FileTally? _lastTally;
        private ClusterCategory.Columns _lastColumns;
        private Totals? _totals;

        /// <summary>
        /// What the statistics cover: the one directory or file the user named, when it holds every
        /// counted file; else the one file counted, or the directory all counted files share, or the
        /// distinct directories they are in.
        /// </summary>
        public string Source
        {
            get
            {
                if (NamedSourceCoversAll) return _sources[0];
                if (_files.Count == 1) return _files.Keys.First();
                if (_files.Count == 0) return string.Join("; ", _sources);
                string? shared = SharedDirectory(_files.Keys);
                return shared ?? string.Join("; ", _files.Keys.Select(f => System.IO.Path.GetDirectoryName(f)).Distinct(StringComparer.Ordinal));
            }
        }

        /// <summary>"File" when the statistics cover one file, else "Directory".</summary>
        public string SourceKind => (NamedSourceCoversAll ? _singleFileSource : _files.Count == 1) ? "File" : "Directory";

        public int Batches => _files.Count;
        public long Clusters => Sum.Clusters;
        public long Bytes => Sum.Bytes;

        /// <summary>Bytes in (decimal) megabytes, as the reference helper prints them.</summary>
        public double SizeMB => Math.Round(Bytes / 1e6, 2);

        public long PlaneU => Sum.PlaneU;
        public long PlaneV => Sum.PlaneV;
        public long PlaneX => Sum.PlaneX;
        public double PlaneUPercent => Percent(PlaneU);
        public double PlaneVPercent => Percent(PlaneV);
        public double PlaneXPercent => Percent(PlaneX);

        public long ES => Sum.ES;
        public long CC => Sum.CC;

        /// <summary>Clusters whose interaction the layout does not record (Legacy11).</summary>
        public long UnknownInteraction => Sum.UnknownInteraction;
        public double ESPercent => Percent(ES);
        public double CCPercent => Percent(CC);

        public long Marley => Sum.Marley;
        public double MarleyPercent => Percent(Marley);
        public long MainTrack => Sum.MainTrack;
        public double MainTrackPercent => Percent(MainTrack);

        /// <summary>Particle energy range in MeV (null with no clusters).</summary>
        public float? ParticleEnergyMin => Nullable(Sum.ParticleEnergy.Min);
        public float? ParticleEnergyMax => Nullable(Sum.ParticleEnergy.Max);

        /// <summary>Neutrino energy range in MeV over clusters where it is known.</summary>
        public float? NuEnergyMin => Nullable(Sum.NuEnergy.Min);
        public float? NuEnergyMax => Nullable(Sum.NuEnergy.Max);

        /// <summary>Clusters whose neutrino energy is not available (-1).</summary>
        public long NuEnergyUnknown => Sum.NuEnergyUnknown;

        /// <summary>The named inputs (directories or files), in the order first seen.</summary>
        internal IReadOnlyList<string> Sources => _sources;

        internal bool SingleFileSource => _singleFileSource;

        /// <summary>What was counted per file: everything a merge needs, and what crosses into jobs and remote sessions.</summary>
        internal IEnumerable<FileTally> Tallies => _files.Values;

        /// <summary>Records an input the user named: a directory or a single file.</summary>
        public void AddSource(string path, bool isFile)
        {
            if (_sources.Contains(path)) return;
            _sources.Add(path);
            _singleFileSource = isFile;
        }

        /// <summary>Counts a whole batch file from its metadata; a file already counted is not counted again.</summary>
        public void Add(BatchMetadata file) => Add(FileTally.Of(file), owned: true);

        /// <summary>Counts an open batch file, as <see cref="Add(BatchMetadata)"/>.</summary>
        public void Add(BatchFile file) => Add(file.Contents);

        /// <summary>Counts one cluster; its file counts once as a batch, and the cluster once however often it comes.</summary>
        public void Add(Cluster cluster)
        {
            ClusterBatch batch = cluster.Batch;
            if (!ReferenceEquals(batch, _lastBatch))
            {
                _lastTally = TallyFor(batch);
                _lastColumns = new ClusterCategory.Columns(cluster.ColumnLayout, cluster.Metadata.Length, batch.WirePlane);
                _lastBatch = batch;
            }

            Count(_lastTally!, cluster.Index, cluster.Metadata, _lastColumns);
        }

        /// <summary>Adds another run's statistics: a union, so what both counted counts once.</summary>
        public void Add(ClusterStatistics other)
        {
            foreach (string s in other._sources) AddSource(s, other._singleFileSource);
            foreach (FileTally theirs in other._files.Values) Add(theirs);
        }

        /// <summary>
        /// Adds one file's tally (from another statistics object, rebuilt from a serialized one, or
        /// <paramref name="owned"/>: fresh from a read, belonging to nothing else, so kept as it is
        /// instead of copied).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal void Add(FileTally theirs, bool owned = false)
        {
            _totals = null;
            byte[] codes = theirs.Codes;
            if (!_files.TryGetValue(theirs.Path, out FileTally? mine))
            {
                // A file not counted yet (the common case: one tally per file read): take it whole.
                _files.Add(theirs.Path, owned ? theirs : theirs.Copy());
                foreach (byte code in codes)
                {
                    if (code != 0) _categories[code & ClusterCategory.Mask]++;
                }

                return;
            }

            for (int i = 0; i < codes.Length; i++)
            {
                if (codes[i] != 0 && mine.Mark(i, codes[i])) _categories[codes[i] & ClusterCategory.Mask]++;
            }

            mine.ParticleEnergy.Widen(theirs.ParticleEnergy);
            mine.NuEnergy.Widen(theirs.NuEnergy);
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
            Line(sb, "    U", PlaneU);
            Line(sb, "    V", PlaneV);
            Line(sb, "    X", PlaneX);
            sb.Append("\n  Interaction types:\n");
            Line(sb, "    ES", ES);
            Line(sb, "    CC", CC);
            if (UnknownInteraction > 0) Line(sb, "    Unknown", UnknownInteraction);
            sb.Append('\n');
            Line(sb, "  Marley clusters", Marley);
            Line(sb, "  Main track clusters", MainTrack);
            return sb.ToString().TrimEnd('\n');
        }

        public override string ToString() => ToReport();

        private Totals Sum => _totals ??= new Totals(_categories, _files.Values);

        private void Line(StringBuilder sb, string label, long count) =>
            sb.Append(label).Append(": ").Append(count.ToString(CultureInfo.InvariantCulture))
              .Append(" (").Append(PercentText(count)).Append("%)\n");

        private string PercentText(long count) =>
            (Clusters == 0 ? 0.0 : 100.0 * count / Clusters).ToString("F1", CultureInfo.InvariantCulture);

        private double Percent(long count) => double.Parse(PercentText(count), CultureInfo.InvariantCulture);

        private FileTally TallyFor(ClusterBatch batch)
        {
            if (!_files.TryGetValue(batch.Path, out FileTally? tally))
            {
                tally = new FileTally(batch.Path, batch.Length, batch.Count);
                _files.Add(batch.Path, tally);
            }

            return tally;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Count(FileTally tally, int index, ReadOnlySpan<float> row, in ClusterCategory.Columns columns)
        {
            byte code = columns.Of(row);
            if (!tally.Mark(index, code)) return;
            _totals = null;
            _categories[code & ClusterCategory.Mask]++;
            if (columns.ParticleEnergy >= 0) tally.ParticleEnergy.Add(row[columns.ParticleEnergy]);
            if (!ClusterCategory.NuEnergyUnknown(code)) tally.NuEnergy.Add(row[columns.NuEnergy]);
        }

        /// <summary>True when one input was named and every counted file is that file, or lies in that directory (a merge may have added others).</summary>
        private bool NamedSourceCoversAll =>
            _sources.Count == 1 && _files.Keys.All(f => _singleFileSource
                ? string.Equals(f, _sources[0], StringComparison.Ordinal)
                : IsWithin(System.IO.Path.GetDirectoryName(f) ?? "", _sources[0]));

        /// <summary>The deepest directory that holds every file (directly or below), or null when they share only the root.</summary>
        private static string? SharedDirectory(IEnumerable<string> files)
        {
            string? shared = null;
            foreach (string file in files)
            {
                string dir = System.IO.Path.GetDirectoryName(file) ?? "";
                if (shared == null)
                {
                    shared = dir;
                    continue;
                }

                while (shared.Length > 0 && !IsWithin(dir, shared)) shared = System.IO.Path.GetDirectoryName(shared) ?? "";
            }

            return string.IsNullOrEmpty(shared) || System.IO.Path.GetDirectoryName(shared) == null ? null : shared;
        }

        private static bool IsWithin(string dir, string ancestor) =>
            dir == ancestor || (dir.StartsWith(ancestor, StringComparison.Ordinal)
                && (ancestor.EndsWith("/", StringComparison.Ordinal) || ancestor.EndsWith("\\", StringComparison.Ordinal)
                    || dir[ancestor.Length] == System.IO.Path.DirectorySeparatorChar || dir[ancestor.Length] == System.IO.Path.AltDirectorySeparatorChar));

        private static float? Nullable(float v) => float.IsNaN(v) ? (float?)null : v;

        /// <summary>The counts of every category, summed once after a change.</summary>
        private sealed class Totals
        {
            public Totals(long[] categories, IEnumerable<FileTally> files)
            {
                for (int c = 0; c < categories.Length; c++)
                {
                    long n = categories[c];
                    if (n == 0) continue;
                    Clusters += n;
                    switch (ClusterCategory.PlaneOf(c))
                    {
                        case ClusterPS.Plane.U: PlaneU += n; break;
                        case ClusterPS.Plane.V: PlaneV += n; break;
                        case ClusterPS.Plane.X: PlaneX += n; break;
                    }

                    switch (ClusterCategory.InteractionOf(c))
                    {
                        case true: ES += n; break;
                        case false: CC += n; break;
                        default: UnknownInteraction += n; break;
                    }

                    if (ClusterCategory.IsMarley(c)) Marley += n;
                    if (ClusterCategory.IsMainTrack(c)) MainTrack += n;
                    if (ClusterCategory.NuEnergyUnknown(c)) NuEnergyUnknown += n;
                }

                foreach (FileTally f in files)
                {
                    Bytes += f.Length;
                    ParticleEnergy.Widen(f.ParticleEnergy);
                    NuEnergy.Widen(f.NuEnergy);
                }
            }

            public long Clusters, Bytes, PlaneU, PlaneV, PlaneX, ES, CC, UnknownInteraction, Marley, MainTrack, NuEnergyUnknown;
            public readonly ValueRange ParticleEnergy = new ValueRange();
            public readonly ValueRange NuEnergy = new ValueRange();
        }
    }
}
