using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClusterPS
{
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
        /// once per file. A field the layout lacks, or whose column lies past the row's end, counts
        /// as unknown (<see cref="ParticleEnergy"/> and <see cref="NuEnergy"/> are then -1). The
        /// plane comes from the batch when the layout has no plane column.
        /// </summary>
        public readonly struct Columns
        {
            // Where each field is read in a row: its column, or column 0 when the layout lacks it (or the
            // row is too short); then its mask is 0 and _missing holds what the missing field counts as.
            private readonly int _plane, _es, _marley, _mainTrack, _nu;
            private readonly int _planeMask, _esMask, _marleyMask, _mainTrackMask, _nuMask;
            private readonly int _missing;
            private readonly int _width;

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            public Columns(ClusterLayout layout, int width, Plane? batchPlane)
            {
                _width = width;
                int Col(ClusterField f) => layout.Column(f) < width ? layout.Column(f) : -1;
                int plane = Col(ClusterField.PlaneId), es = Col(ClusterField.IsES), marley = Col(ClusterField.IsMarley);
                int mainTrack = Col(ClusterField.IsMainTrack), nu = Col(ClusterField.NuEnergy);
                ParticleEnergy = Col(ClusterField.ParticleEnergy);
                NuEnergy = nu;
                _plane = Math.Max(plane, 0);
                _es = Math.Max(es, 0);
                _marley = Math.Max(marley, 0);
                _mainTrack = Math.Max(mainTrack, 0);
                _nu = Math.Max(nu, 0);
                _planeMask = plane >= 0 ? -1 : 0;
                _esMask = es >= 0 ? -1 : 0;
                _marleyMask = marley >= 0 ? -1 : 0;
                _mainTrackMask = mainTrack >= 0 ? -1 : 0;
                _nuMask = nu >= 0 ? -1 : 0;
                // The plane comes from the batch when the layout has no plane column at all; a layout
                // whose plane column lies past the row's end names no plane.
                _missing = (plane >= 0 ? 0 : layout.Has(ClusterField.PlaneId) ? NoPlane : Code(batchPlane))
                    | (es >= 0 ? 0 : UnknownInteraction << InteractionShift)
                    | (nu >= 0 ? 0 : NuUnknownBit);
            }

            public int ParticleEnergy { get; }
            public int NuEnergy { get; }

            /// <summary>The category code of a metadata row, under the rules of <see cref="MetadataRules"/>.</summary>
            public byte Of(ReadOnlySpan<float> row)
            {
                if (row.Length < _width) throw new ArgumentException($"A row of {row.Length} values is shorter than the {_width} these columns are for.", nameof(row));
                // An empty row (of Columns made for width 0) has every field missing: nothing to read.
                return row.IsEmpty ? (byte)_missing : Of(ref MemoryMarshal.GetReference(row));
            }

            /// <summary>
            /// The category code of the row that starts at <paramref name="row"/>, which the caller
            /// guarantees is as wide as these Columns were made for (every column read lies inside it).
            /// </summary>
            /// <remarks>
            /// No branch on the row's values: every field is read (a missing one from column 0, then
            /// masked out) and every flag becomes a bit, so rows of mixed flags cost no mispredictions.
            /// </remarks>
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            private byte Of(ref float row)
            {
                int code = _missing | (Code(MetadataRules.PlaneOf(Unsafe.Add(ref row, _plane))) & _planeMask);
                code |= (Bit(MetadataRules.IsSet(Unsafe.Add(ref row, _es))) & _esMask) << InteractionShift;
                code |= (Bit(MetadataRules.IsSet(Unsafe.Add(ref row, _marley))) & _marleyMask) * MarleyBit;
                code |= (Bit(MetadataRules.IsSet(Unsafe.Add(ref row, _mainTrack))) & _mainTrackMask) * MainTrackBit;
                code |= (Bit(MetadataRules.IsUnknownEnergy(Unsafe.Add(ref row, _nu))) & _nuMask) * NuUnknownBit;
                return (byte)code;
            }

            /// <summary>
            /// The codes of the first <paramref name="rows"/> rows of a table (rows as wide as these
            /// Columns were made for) into <paramref name="codes"/>, each marked
            /// <see cref="Counted"/>, widening <paramref name="particle"/> and <paramref name="nu"/> by the
            /// energies of those rows (a neutrino energy only where it is known): what <see cref="Of(ref float)"/>
            /// gives row by row, with vectors. Blocks of rows are gathered column by column into a
            /// pooled buffer, then compared a vector of rows at a time.
            /// </summary>
            [MethodImpl(Hot.Path)]
            public void CountTable(float[] table, int rows, byte[] codes, ValueRange particle, ValueRange nu)
            {
                int width = _width;
                if ((long)rows * width > table.Length || rows > codes.Length) throw new ArgumentException("The table holds fewer rows than asked for.");
                const int Block = 256;
                int lanes = Vector<float>.Count;
                float[] gathered = System.Buffers.ArrayPool<float>.Shared.Rent(6 * Block);
                try
                {
                    for (int first = 0; first < rows; first += Block)
                    {
                        int count = Math.Min(Block, rows - first);
                        int vectorRows = Vector.IsHardwareAccelerated ? count - count % lanes : 0;
                        if (vectorRows > 0) CountBlock(table, first, vectorRows, width, gathered, Block, codes, particle, nu);
                        for (int r = first + vectorRows; r < first + count; r++) CountRow(ref table[r * width], r, codes, particle, nu);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<float>.Shared.Return(gathered);
                }
            }

            /// <summary>One row, as <see cref="CountTable"/> counts those that do not fill a vector.</summary>
            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private void CountRow(ref float row, int index, byte[] codes, ValueRange particle, ValueRange nu)
            {
                byte code = Of(ref row);
                codes[index] = (byte)(code | Counted);
                if (ParticleEnergy >= 0) particle.Add(Unsafe.Add(ref row, ParticleEnergy));
                if (!NuEnergyUnknown(code)) nu.Add(Unsafe.Add(ref row, NuEnergy));
            }

            [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
            private void CountBlock(float[] table, int first, int count, int width, float[] gathered, int stride, byte[] codes, ValueRange particleRange, ValueRange nuRange)
            {
                // The columns read, one after the other in the buffer: a missing field reads column 0
                // and is masked out, as in Of.
                // (CountTable checked that every row read lies in the table, and the buffer holds 6 × stride.)
                ref float row = ref table[first * width];
                ref float to = ref gathered[0];
                int particle = Math.Max(ParticleEnergy, 0);
                for (int r = 0; r < count; r++, row = ref Unsafe.Add(ref row, width), to = ref Unsafe.Add(ref to, 1))
                {
                    to = Unsafe.Add(ref row, _plane);
                    Unsafe.Add(ref to, stride) = Unsafe.Add(ref row, _es);
                    Unsafe.Add(ref to, 2 * stride) = Unsafe.Add(ref row, _marley);
                    Unsafe.Add(ref to, 3 * stride) = Unsafe.Add(ref row, _mainTrack);
                    Unsafe.Add(ref to, 4 * stride) = Unsafe.Add(ref row, _nu);
                    Unsafe.Add(ref to, 5 * stride) = Unsafe.Add(ref row, particle);
                }

                ReadOnlySpan<Vector<float>> all = MemoryMarshal.Cast<float, Vector<float>>(new ReadOnlySpan<float>(gathered, 0, 6 * stride));
                int vectors = count / Vector<float>.Count, step = stride / Vector<float>.Count;
                Vector<float> u = new Vector<float>(MetadataRules.PlaneIds[0]), v1 = new Vector<float>(MetadataRules.PlaneIds[1]), x = new Vector<float>(MetadataRules.PlaneIds[2]);
                var set = new Vector<float>(MetadataRules.FlagSet);
                var unknown = new Vector<float>(MetadataRules.UnknownEnergy);
                var fixedBits = new Vector<int>(_missing | Counted);
                Vector<int> two = new Vector<int>(2), noPlane = new Vector<int>(NoPlane), planeMask = new Vector<int>(_planeMask);
                Vector<int> esBit = new Vector<int>(_esMask & (1 << InteractionShift)), marleyBit = new Vector<int>(_marleyMask & MarleyBit);
                Vector<int> mainTrackBit = new Vector<int>(_mainTrackMask & MainTrackBit), nuMask = new Vector<int>(_nuMask), nuBit = new Vector<int>(NuUnknownBit);
                bool hasParticle = ParticleEnergy >= 0;
                Vector<float> pMin = new Vector<float>(float.PositiveInfinity), pMax = new Vector<float>(float.NegativeInfinity);
                Vector<float> nuMin = pMin, nuMax = pMax;
                var lanes = new int[Vector<int>.Count];
                for (int v = 0; v < vectors; v++)
                {
                    Vector<float> plane = all[v], es = all[step + v], marley = all[2 * step + v], mainTrack = all[3 * step + v], nu = all[4 * step + v];
                    Vector<int> planeCode = Vector.ConditionalSelect(Vector.Equals(plane, u), Vector<int>.Zero,
                        Vector.ConditionalSelect(Vector.Equals(plane, v1), Vector<int>.One,
                        Vector.ConditionalSelect(Vector.Equals(plane, x), two, noPlane)));
                    Vector<int> nuUnknown = Vector.Equals(nu, unknown) & nuMask;
                    Vector<int> code = fixedBits | (planeCode & planeMask) | (Vector.Equals(es, set) & esBit)
                        | (Vector.Equals(marley, set) & marleyBit) | (Vector.Equals(mainTrack, set) & mainTrackBit) | (nuUnknown & nuBit);

                    // NaN never widens a range (it fails every comparison), nor does an unknown neutrino energy.
                    if (hasParticle)
                    {
                        Vector<float> e = all[5 * step + v];
                        Vector<int> real = Vector.Equals(e, e);
                        pMin = Vector.ConditionalSelect(real & Vector.LessThan(e, pMin), e, pMin);
                        pMax = Vector.ConditionalSelect(real & Vector.GreaterThan(e, pMax), e, pMax);
                    }

                    if (_nuMask != 0)
                    {
                        Vector<int> known = Vector.Equals(nu, nu) & ~nuUnknown;
                        nuMin = Vector.ConditionalSelect(known & Vector.LessThan(nu, nuMin), nu, nuMin);
                        nuMax = Vector.ConditionalSelect(known & Vector.GreaterThan(nu, nuMax), nu, nuMax);
                    }

                    code.CopyTo(lanes);
                    int at = first + v * Vector<int>.Count;
                    for (int k = 0; k < lanes.Length; k++) codes[at + k] = (byte)lanes[k];
                }

                // A lane that saw no value still holds (+∞, -∞), which must not widen anything.
                for (int k = 0; k < Vector<float>.Count; k++)
                {
                    if (hasParticle && pMin[k] <= pMax[k]) particleRange.Add(pMin[k], pMax[k]);
                    if (nuMin[k] <= nuMax[k]) nuRange.Add(nuMin[k], nuMax[k]);
                }
            }

            private static int Code(Plane? plane) => plane.HasValue ? (int)plane.Value : NoPlane;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
