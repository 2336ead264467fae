using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ClusterPS
{
    /// <summary>The metadata fields a layout can place in a column.</summary>
    public enum ClusterField
    {
        IsMarley,
        IsMainTrack,
        PositionX,
        PositionY,
        PositionZ,
        DirectionX,
        DirectionY,
        DirectionZ,
        NuEnergy,
        ParticleEnergy,
        PlaneId,
        IsES,
        MomentumX,
        MomentumY,
        MomentumZ,
    }

    /// <summary>
    /// Which metadata column holds which field. The generator's column order has changed over time,
    /// so a layout is chosen by name, detected among the built-in ones by column count and then
    /// checked for plausibility, or given as a custom field-to-column map.
    /// </summary>
    public sealed class ClusterLayout
    {
        // Declared first: static fields initialize in order, and the layouts below need it.
        private static readonly int FieldCount = Enum.GetValues(typeof(ClusterField)).Length;

        /// <summary>The seed's order (SPEC section 1), the default.</summary>
        public static readonly ClusterLayout Seed12 = new ClusterLayout("Seed12", SeedColumn.Count, SeedColumns(withInteraction: true));

        /// <summary>The seed's order without the interaction column.</summary>
        public static readonly ClusterLayout Legacy11 = new ClusterLayout("Legacy11", 11, SeedColumns(withInteraction: false));

        /// <summary>The seed's fields with the momentum in columns 8-10 and the rest shifted behind it.</summary>
        public static readonly ClusterLayout Momentum15 = new ClusterLayout("Momentum15", 15, new Dictionary<ClusterField, int>
        {
            [ClusterField.IsMarley] = 0,
            [ClusterField.IsMainTrack] = 1,
            [ClusterField.PositionX] = 2,
            [ClusterField.PositionY] = 3,
            [ClusterField.PositionZ] = 4,
            [ClusterField.DirectionX] = 5,
            [ClusterField.DirectionY] = 6,
            [ClusterField.DirectionZ] = 7,
            [ClusterField.MomentumX] = 8,
            [ClusterField.MomentumY] = 9,
            [ClusterField.MomentumZ] = 10,
            [ClusterField.NuEnergy] = 11,
            [ClusterField.ParticleEnergy] = 12,
            [ClusterField.PlaneId] = 13,
            [ClusterField.IsES] = 14,
        });

        /// <summary>The built-in layouts, the only ones auto-detection chooses among.</summary>
        public static IReadOnlyList<ClusterLayout> BuiltIn { get; } = new[] { Seed12, Legacy11, Momentum15 };

        private static readonly ClusterField[] Required = { ClusterField.IsMarley, ClusterField.IsMainTrack, ClusterField.ParticleEnergy };

        /// <summary>The fields that hold flags (0 or 1).</summary>
        internal static readonly ClusterField[] Flags = { ClusterField.IsMarley, ClusterField.IsMainTrack, ClusterField.IsES };

        private static readonly Dictionary<string, ClusterField> Aliases = new Dictionary<string, ClusterField>(StringComparer.OrdinalIgnoreCase)
        {
            ["is_marley"] = ClusterField.IsMarley,
            ["is_main_track"] = ClusterField.IsMainTrack,
            ["true_pos_x"] = ClusterField.PositionX,
            ["true_pos_y"] = ClusterField.PositionY,
            ["true_pos_z"] = ClusterField.PositionZ,
            ["true_dir_x"] = ClusterField.DirectionX,
            ["true_dir_y"] = ClusterField.DirectionY,
            ["true_dir_z"] = ClusterField.DirectionZ,
            ["true_nu_energy"] = ClusterField.NuEnergy,
            ["true_particle_energy"] = ClusterField.ParticleEnergy,
            ["plane_id"] = ClusterField.PlaneId,
            ["plane"] = ClusterField.PlaneId,
            ["is_es_interaction"] = ClusterField.IsES,
            ["is_es"] = ClusterField.IsES,
            ["momentum_x"] = ClusterField.MomentumX,
            ["momentum_y"] = ClusterField.MomentumY,
            ["momentum_z"] = ClusterField.MomentumZ,
        };

        /// <summary>Each field's column (-1: none), indexed by field: built from a field-to-column map, never written by position.</summary>
        private readonly int[] _columns;

        private ClusterLayout(string name, int columnCount, IReadOnlyDictionary<ClusterField, int> columns, bool exactColumnCount = true)
        {
            Name = name;
            ColumnCount = columnCount;
            _columns = Enumerable.Repeat(-1, FieldCount).ToArray();
            foreach (KeyValuePair<ClusterField, int> pair in columns) _columns[(int)pair.Key] = pair.Value;
            _exactColumnCount = exactColumnCount;
        }

        private static Dictionary<ClusterField, int> SeedColumns(bool withInteraction)
        {
            var columns = new Dictionary<ClusterField, int>
            {
                [ClusterField.IsMarley] = SeedColumn.IsMarley,
                [ClusterField.IsMainTrack] = SeedColumn.IsMainTrack,
                [ClusterField.PositionX] = SeedColumn.PositionX,
                [ClusterField.PositionY] = SeedColumn.PositionY,
                [ClusterField.PositionZ] = SeedColumn.PositionZ,
                [ClusterField.DirectionX] = SeedColumn.DirectionX,
                [ClusterField.DirectionY] = SeedColumn.DirectionY,
                [ClusterField.DirectionZ] = SeedColumn.DirectionZ,
                [ClusterField.NuEnergy] = SeedColumn.NuEnergy,
                [ClusterField.ParticleEnergy] = SeedColumn.ParticleEnergy,
                [ClusterField.PlaneId] = SeedColumn.PlaneId,
            };
            if (withInteraction) columns[ClusterField.IsES] = SeedColumn.IsES;
            return columns;
        }

        private readonly bool _exactColumnCount;

        public string Name { get; }

        /// <summary>The number of metadata columns a file must have for this layout.</summary>
        public int ColumnCount { get; }

        public bool IsBuiltIn => BuiltIn.Contains(this);

        /// <summary>
        /// Whether a file with <paramref name="columns"/> metadata columns can be read with this layout:
        /// exactly <see cref="ColumnCount"/>, or at least that many for a custom map without a ColumnCount.
        /// </summary>
        public bool Accepts(long columns) => _exactColumnCount ? columns == ColumnCount : columns >= ColumnCount;

        /// <summary>The column of <paramref name="field"/>, or -1 when the layout lacks it.</summary>
        public int Column(ClusterField field) => _columns[(int)field];

        public bool Has(ClusterField field) => _columns[(int)field] >= 0;

        /// <summary>The value of <paramref name="field"/> in a metadata row, or null when the layout lacks it or the row is too short.</summary>
        public float? ValueOf(ReadOnlySpan<float> row, ClusterField field)
        {
            int col = _columns[(int)field];
            return col >= 0 && col < row.Length ? row[col] : (float?)null;
        }

        /// <summary>The field-to-column map, for display and for building a custom layout from an existing one.</summary>
        public IDictionary<string, int> ToMap()
        {
            var map = new Dictionary<string, int>();
            foreach (ClusterField f in Enum.GetValues(typeof(ClusterField)))
            {
                if (Has(f)) map[f.ToString()] = Column(f);
            }

            return map;
        }

        public override string ToString() => Name;

        /// <summary>
        /// The layout as one line of text that <see cref="FromDefinition"/> reads back: a built-in
        /// layout's name, or "Custom:" and the field=column map (with ColumnCount when it is fixed).
        /// This is how a batch's layout crosses into jobs, remote sessions and CliXml.
        /// </summary>
        internal string Definition => IsBuiltIn
            ? Name
            : "Custom:" + string.Join(",", ToMap().Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)))
                + (_exactColumnCount ? ",ColumnCount=" + ColumnCount.ToString(CultureInfo.InvariantCulture) : "");

        /// <exception cref="ArgumentException">The text is not a layout definition.</exception>
        internal static ClusterLayout FromDefinition(string definition)
        {
            const string custom = "Custom:";
            if (!definition.StartsWith(custom, StringComparison.Ordinal))
            {
                return FromName(definition) ?? throw new ArgumentException($"'{definition}' is not a layout.");
            }

            return FromMap(definition.Substring(custom.Length).Split(',').Select(pair =>
            {
                string[] kv = pair.Split('=');
                if (kv.Length != 2) throw new ArgumentException($"'{definition}' is not a layout definition.");
                return new KeyValuePair<string, object?>(kv[0], kv[1]);
            }));
        }

        public static ClusterLayout? FromName(string name) =>
            BuiltIn.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The built-in layout for a column count, or null.</summary>
        public static ClusterLayout? ForColumnCount(long columns) => BuiltIn.FirstOrDefault(l => l.ColumnCount == columns);

        /// <summary>
        /// A custom layout from a field-to-column map. Keys are field names (IsMarley, PositionX, ...)
        /// or the seed's column names (is_marley, true_pos_x, ...); the optional key 'ColumnCount'
        /// fixes the number of columns (otherwise it is the highest column + 1).
        /// </summary>
        public static ClusterLayout FromMap(IEnumerable<KeyValuePair<string, object?>> map)
        {
            var columns = new Dictionary<ClusterField, int>();
            int? declaredCount = null;
            foreach (KeyValuePair<string, object?> pair in map)
            {
                int value = ToColumn(pair.Key, pair.Value);
                if (string.Equals(pair.Key, "ColumnCount", StringComparison.OrdinalIgnoreCase))
                {
                    declaredCount = value;
                    continue;
                }

                string? name = Enum.GetNames(typeof(ClusterField)).FirstOrDefault(n => string.Equals(n, pair.Key, StringComparison.OrdinalIgnoreCase));
                ClusterField field;
                if (name != null) field = (ClusterField)Enum.Parse(typeof(ClusterField), name);
                else if (!Aliases.TryGetValue(pair.Key, out field))
                {
                    throw new ArgumentException($"'{pair.Key}' is not a metadata field. Known fields: {string.Join(", ", Enum.GetNames(typeof(ClusterField)))}.");
                }

                if (columns.ContainsKey(field)) throw new ArgumentException($"The field {field} is given twice.");
                columns[field] = value;
            }

            foreach (ClusterField f in Required)
            {
                if (!columns.ContainsKey(f)) throw new ArgumentException($"A custom layout needs a column for {f}.");
            }

            int highest = columns.Values.Max();
            int count = declaredCount ?? highest + 1;
            if (count <= highest) throw new ArgumentException($"ColumnCount {count} is too small for column {highest}.");
            var duplicate = columns.Values.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new ArgumentException($"Column {duplicate.Key} is given to more than one field.");

            return new ClusterLayout("Custom", count, columns, exactColumnCount: declaredCount.HasValue);
        }

        private static int ToColumn(string key, object? value)
        {
            if (value == null) throw new ArgumentException($"The column for '{key}' is empty; give a column number.");
            try
            {
                int column = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                if (column < 0) throw new ArgumentException($"The column for '{key}' is negative.");
                return column;
            }
            catch (Exception ex) when (ex is FormatException || ex is InvalidCastException || ex is OverflowException)
            {
                throw new ArgumentException($"The column for '{key}' must be a whole number, not '{value}'.");
            }
        }

        /// <summary>
        /// Checks that <paramref name="metadata"/> (rows × <paramref name="columns"/>) is plausible under
        /// this layout by <see cref="MetadataRules"/>: flags are flags, plane ids name a plane, and that
        /// plane is the file name's. Returns null when it is, else what is wrong.
        /// </summary>
        public string? CheckPlausibility(float[] metadata, int rows, int columns, Plane? filePlane) =>
            IsPlausible(metadata, rows, columns, filePlane) ? null : FirstImplausible(metadata, rows, columns, filePlane);

        /// <summary>
        /// The check of <see cref="CheckPlausibility"/> over the whole table at once, without saying
        /// what is wrong: every file is read through it, and only a file that fails it is searched
        /// again for the first value to report. Each column accepts a few values (a flag 0 or 1, the
        /// plane id the file name's plane, or any plane id) or anything, so the table is compared
        /// with vectors whose lanes repeat that pattern of columns.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal bool IsPlausible(float[] metadata, int rows, int columns, Plane? filePlane)
        {
            const int Slots = 3; // the most values a column accepts: the three plane ids
            int n = rows * columns;
            var accepted = new float[Slots][];
            for (int k = 0; k < accepted.Length; k++) accepted[k] = new float[columns];
            var free = new bool[columns];
            for (int c = 0; c < columns; c++) free[c] = true;
            void Accept(int column, IReadOnlyList<float> values)
            {
                if (column < 0 || column >= columns) return;
                free[column] = false;
                for (int k = 0; k < Slots; k++) accepted[k][column] = values[Math.Min(k, values.Count - 1)];
            }

            foreach (ClusterField flag in Flags) Accept(Column(flag), MetadataRules.FlagValues);
            Accept(Column(ClusterField.PlaneId), filePlane.HasValue ? new[] { MetadataRules.PlaneId(filePlane.Value) } : MetadataRules.PlaneIds);

            int width = Vector<float>.Count, done = 0;
            int period = columns / Gcd(columns, width) * width; // floats until the pattern of columns repeats at a vector boundary
            if (Vector.IsHardwareAccelerated && period <= 64 * width && n >= period)
            {
                int vectors = period / width;
                var patterns = new Vector<float>[Slots * vectors];
                var anything = new Vector<int>[vectors];
                var lanes = new float[width];
                var freeLanes = new int[width];
                for (int v = 0; v < vectors; v++)
                {
                    for (int k = 0; k < Slots; k++)
                    {
                        for (int l = 0; l < width; l++) lanes[l] = accepted[k][(v * width + l) % columns];
                        patterns[v * Slots + k] = new Vector<float>(lanes);
                    }

                    for (int l = 0; l < width; l++) freeLanes[l] = free[(v * width + l) % columns] ? -1 : 0;
                    anything[v] = new Vector<int>(freeLanes);
                }

                ReadOnlySpan<Vector<float>> table = MemoryMarshal.Cast<float, Vector<float>>(new ReadOnlySpan<float>(metadata, 0, n - n % period));
                Vector<int> ok = new Vector<int>(-1);
                for (int i = 0; i < table.Length; i += vectors)
                {
                    for (int v = 0, p = 0; v < vectors; v++, p += Slots)
                    {
                        Vector<float> x = table[i + v];
                        ok &= anything[v] | Vector.Equals(x, patterns[p]) | Vector.Equals(x, patterns[p + 1]) | Vector.Equals(x, patterns[p + 2]);
                    }
                }

                if (!Vector.EqualsAll(ok, new Vector<int>(-1))) return false;
                done = table.Length * width;
            }

            for (int e = done; e < n; e++)
            {
                int c = e % columns;
                float x = metadata[e];
                if (!free[c] && x != accepted[0][c] && x != accepted[1][c] && x != accepted[2][c]) return false;
            }

            return true;
        }

        private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

        private string? FirstImplausible(float[] metadata, int rows, int columns, Plane? filePlane)
        {
            foreach (ClusterField flag in Flags)
            {
                int col = Column(flag);
                if (col < 0) continue;
                for (int r = 0; r < rows; r++)
                {
                    float v = metadata[r * columns + col];
                    if (!MetadataRules.IsFlag(v))
                    {
                        return $"column {col} ({flag}) holds {Format(v)} in cluster {r}, but a flag must be 0 or 1";
                    }
                }
            }

            int planeCol = Column(ClusterField.PlaneId);
            if (planeCol >= 0)
            {
                for (int r = 0; r < rows; r++)
                {
                    float v = metadata[r * columns + planeCol];
                    Plane? plane = MetadataRules.PlaneOf(v);
                    if (plane == null)
                    {
                        return $"column {planeCol} (PlaneId) holds {Format(v)} in cluster {r}, but a plane id must be 0, 1 or 2";
                    }

                    if (filePlane.HasValue && plane != filePlane)
                    {
                        return $"column {planeCol} (PlaneId) says plane {plane} in cluster {r}, but the file name says plane {filePlane.Value}";
                    }
                }
            }

            return null;
        }

        internal static string Format(float v) => v.ToString("R", CultureInfo.InvariantCulture);
    }
}
