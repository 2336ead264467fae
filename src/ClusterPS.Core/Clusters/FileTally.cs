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
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static FileTally Of(BatchMetadata file)
        {
            ClusterLayout layout = file.ColumnLayout ?? throw new InvalidOperationException($"{file.Path} was read without a layout, so its clusters cannot be counted.");
            var tally = new FileTally(file.Path, file.Batch.Length, file.Count);
            byte[] codes = tally.Codes;
            var columns = new ClusterCategory.Columns(layout, file.Columns, file.Batch.WirePlane);
            columns.CountTable(file.Values, file.Count, codes, tally.ParticleEnergy, tally.NuEnergy);
            return tally;
        }

        /// <summary>An independent copy, for statistics that take in another's tally.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
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
}
