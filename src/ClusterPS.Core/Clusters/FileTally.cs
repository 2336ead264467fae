using System;
using System.Globalization;

namespace ClusterPS
{
    /// <summary>
    /// What a statistics object counted of one batch file: the file's path and size, one category
    /// code per cluster (0 where the cluster was not counted), and the energy ranges of the counted
    /// clusters. Two tallies of one file merge by union, so nothing is counted twice.
    /// </summary>
    internal sealed class FileTally
    {
        private const string FormatVersion = "1";

        public FileTally(string path, long length, int clusters)
        {
            Path = path;
            Length = length;
            Codes = new byte[clusters];
        }

        public string Path { get; }
        public long Length { get; }

        /// <summary>Per cluster of the file: <see cref="ClusterCategory"/> code | <see cref="ClusterCategory.Counted"/>, or 0.</summary>
        public byte[] Codes { get; private set; }

        public ValueRange ParticleEnergy { get; } = new ValueRange();
        public ValueRange NuEnergy { get; } = new ValueRange();

        /// <summary>
        /// Counts every cluster of a file from its metadata: a new tally that belongs to no statistics
        /// yet, so a worker thread can count a file while the pipeline thread merges the last one.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Loop)]
        public static FileTally Of(BatchMetadata file)
        {
            ClusterLayout layout = file.ColumnLayout ?? throw new InvalidOperationException($"{file.Path} was read without a layout, so its clusters cannot be counted.");
            var tally = new FileTally(file.Path, file.Batch.Length, file.Count);
            byte[] codes = tally.Codes;
            var columns = new ClusterCategory.Columns(layout, file.Columns, file.Batch.WirePlane);
            int width = file.Columns, energy = columns.ParticleEnergy, nu = columns.NuEnergy;
            float[] meta = file.Values;

            // This loop runs for every cluster of a dataset: ranges in locals (NaN fails every
            // comparison, so it never widens them).
            float pMin = float.PositiveInfinity, pMax = float.NegativeInfinity, nuMin = float.PositiveInfinity, nuMax = float.NegativeInfinity;
            for (int r = 0, o = 0; r < codes.Length; r++, o += width)
            {
                byte code = columns.Of(new ReadOnlySpan<float>(meta, o, width));
                codes[r] = (byte)(code | ClusterCategory.Counted);
                if (energy >= 0)
                {
                    float e = meta[o + energy];
                    if (e < pMin) pMin = e;
                    if (e > pMax) pMax = e;
                }

                if (!ClusterCategory.NuEnergyUnknown(code))
                {
                    float n = meta[o + nu];
                    if (n < nuMin) nuMin = n;
                    if (n > nuMax) nuMax = n;
                }
            }

            if (pMin <= pMax) tally.ParticleEnergy.Add(pMin, pMax);
            if (nuMin <= nuMax) tally.NuEnergy.Add(nuMin, nuMax);
            return tally;
        }

        /// <summary>An independent copy, for statistics that take in another's tally.</summary>
        public FileTally Copy()
        {
            var copy = new FileTally(Path, Length, 0) { Codes = (byte[])Codes.Clone() };
            copy.ParticleEnergy.Widen(ParticleEnergy);
            copy.NuEnergy.Widen(NuEnergy);
            return copy;
        }

        /// <summary>Records cluster <paramref name="index"/> under <paramref name="code"/>; false when it was already counted.</summary>
        public bool Mark(int index, byte code)
        {
            byte[] codes = Reserve(index + 1);
            if (codes[index] != 0) return false;
            codes[index] = (byte)(code | ClusterCategory.Counted);
            return true;
        }

        /// <summary>The codes, grown to hold at least <paramref name="clusters"/> (a file that grew keeps what was counted of it).</summary>
        public byte[] Reserve(int clusters)
        {
            if (clusters > Codes.Length)
            {
                byte[] grown = new byte[clusters];
                Codes.CopyTo(grown, 0);
                Codes = grown;
            }

            return Codes;
        }

        /// <summary>One line of text that <see cref="Parse"/> turns back into the tally: what crosses into jobs, remote sessions and CliXml.</summary>
        public override string ToString() => string.Join("|",
            FormatVersion,
            Length.ToString(CultureInfo.InvariantCulture),
            ParticleEnergy.ToString(),
            NuEnergy.ToString(),
            Convert.ToBase64String(Codes),
            Path);

        /// <exception cref="FormatException">The text is not a tally this version wrote.</exception>
        public static FileTally Parse(string text)
        {
            string[] parts = text.Split(new[] { '|' }, 8);
            if (parts.Length != 8 || parts[0] != FormatVersion)
            {
                throw new FormatException("This is not a ClusterPS statistics tally (or one of another version).");
            }

            byte[] codes = Convert.FromBase64String(parts[6]);
            var tally = new FileTally(parts[7], long.Parse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture), 0) { Codes = codes };
            tally.ParticleEnergy.Widen(ValueRange.Parse(parts[2], parts[3]));
            tally.NuEnergy.Widen(ValueRange.Parse(parts[4], parts[5]));
            return tally;
        }
    }

    /// <summary>A running minimum and maximum that ignores NaN.</summary>
    internal sealed class ValueRange
    {
        public float Min { get; private set; } = float.NaN;
        public float Max { get; private set; } = float.NaN;

        public void Add(float value)
        {
            if (float.IsNaN(value)) return;
            if (float.IsNaN(Min) || value < Min) Min = value;
            if (float.IsNaN(Max) || value > Max) Max = value;
        }

        public void Add(float min, float max)
        {
            Add(min);
            Add(max);
        }

        public void Widen(ValueRange other) => Add(other.Min, other.Max);

        public override string ToString() => F(Min) + "|" + F(Max);

        public static ValueRange Parse(string min, string max)
        {
            var range = new ValueRange();
            range.Add(float.Parse(min, NumberStyles.Float, CultureInfo.InvariantCulture));
            range.Add(float.Parse(max, NumberStyles.Float, CultureInfo.InvariantCulture));
            return range;
        }

        private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A cluster's statistics categories packed in 7 bits: plane (U, V, X or none), interaction (CC,
    /// ES or unknown), Marley, main track, neutrino energy unknown.
    /// </summary>
    internal static class ClusterCategory
    {
        public const int Count = 128;
        public const int Mask = 0x7F;
        public const byte Counted = 0x80;
        private const int NoPlane = 3, InteractionShift = 2, UnknownInteraction = 2, MarleyBit = 0x10, MainTrackBit = 0x20, NuUnknownBit = 0x40;

        /// <summary>
        /// Where a layout keeps the fields the categories need, in rows of a given width, looked up
        /// once per file: -1 for a field the layout lacks or a column past the row's end (which
        /// counts as unknown). The plane comes from the batch when the layout has no plane column.
        /// </summary>
        public readonly struct Columns
        {
            private readonly int _plane, _es, _marley, _mainTrack, _batchPlane;

            public Columns(ClusterLayout layout, int width, Plane? batchPlane)
            {
                int Col(ClusterField f) => layout.Column(f) < width ? layout.Column(f) : -1;
                _batchPlane = layout.Has(ClusterField.PlaneId) ? -1 : Code(batchPlane);
                _plane = Col(ClusterField.PlaneId);
                _es = Col(ClusterField.IsES);
                _marley = Col(ClusterField.IsMarley);
                _mainTrack = Col(ClusterField.IsMainTrack);
                ParticleEnergy = Col(ClusterField.ParticleEnergy);
                NuEnergy = Col(ClusterField.NuEnergy);
            }

            public int ParticleEnergy { get; }
            public int NuEnergy { get; }

            /// <summary>The category code of a metadata row, under the rules of <see cref="MetadataRules"/>.</summary>
            /// <remarks>
            /// Branches only on which columns the layout has (the same for every row); the flags of a
            /// row become bits without a branch, so rows of mixed flags cost no mispredictions.
            /// </remarks>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public byte Of(ReadOnlySpan<float> row)
            {
                int code = _batchPlane >= 0 ? _batchPlane : _plane >= 0 ? Code(MetadataRules.PlaneOf(row[_plane])) : NoPlane;
                code |= (_es < 0 ? UnknownInteraction : Bit(MetadataRules.IsSet(row[_es]))) << InteractionShift;
                if (_marley >= 0) code |= Bit(MetadataRules.IsSet(row[_marley])) * MarleyBit;
                if (_mainTrack >= 0) code |= Bit(MetadataRules.IsSet(row[_mainTrack])) * MainTrackBit;
                code |= (NuEnergy < 0 ? 1 : Bit(MetadataRules.IsUnknownEnergy(row[NuEnergy]))) * NuUnknownBit;
                return (byte)code;
            }

            private static int Code(Plane? plane) => plane.HasValue ? (int)plane.Value : NoPlane;

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            private static int Bit(bool value) => value ? 1 : 0;
        }

        public static Plane? PlaneOf(int code) => (code & 3) == NoPlane ? (Plane?)null : (Plane)(code & 3);

        /// <summary>true: ES, false: CC, null: unknown.</summary>
        public static bool? InteractionOf(int code) => ((code >> InteractionShift) & 3) switch
        {
            1 => true,
            0 => false,
            _ => (bool?)null,
        };

        public static bool IsMarley(int code) => (code & MarleyBit) != 0;
        public static bool IsMainTrack(int code) => (code & MainTrackBit) != 0;
        public static bool NuEnergyUnknown(int code) => (code & NuUnknownBit) != 0;
    }
}
