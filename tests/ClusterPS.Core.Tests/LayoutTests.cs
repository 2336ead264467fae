using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ClusterPS.Npz;
using CsCheck;
using Xunit;
using static ClusterPS.Tests.TestLayouts;

namespace ClusterPS.Tests
{
    /// <summary>Layout detection by column count, plausibility checks, custom maps, and decoding per layout.</summary>
    public class LayoutTests : IDisposable
    {
        private readonly TempDir _temp = new TempDir();

        public void Dispose() => _temp.Dispose();

        /// <summary>Writes a metadata-only batch whose rows are valid for a layout of <paramref name="columns"/> columns.</summary>
        private string WriteColumns(string name, int columns, int rows = 4, int planeId = 2, Action<float[]>? tweak = null)
        {
            var md = new float[rows * columns];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++) md[r * columns + c] = 0.25f * (c + 1) + r;
                md[r * columns + 0] = r % 2;        // is_marley
                if (columns > 1) md[r * columns + 1] = (r + 1) % 2; // is_main_track
                switch (columns)
                {
                    case 11:
                        md[r * columns + 10] = planeId;
                        break;
                    case 12:
                        md[r * columns + 10] = planeId;
                        md[r * columns + 11] = 1;
                        break;
                    case 15:
                        md[r * columns + 13] = planeId;
                        md[r * columns + 14] = r % 2;
                        break;
                }
            }

            tweak?.Invoke(md);
            string path = _temp.File(name);
            TestNpz.WriteBatch(path, md, columns, TestNpz.EighthImages(rows, 4, 3), 4, 3);
            return path;
        }

        [Theory]
        [InlineData(11, "Legacy11")]
        [InlineData(12, "Seed12")]
        [InlineData(15, "Momentum15")]
        public void Layout_is_detected_by_column_count(int columns, string layout)
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", columns);
            using BatchFile file = BatchFile.Open(path);
            Assert.Equal(layout, file.Batch.Layout);
            Assert.Same(ClusterLayout.FromName(layout), file.ColumnLayout);
            Assert.Equal(columns, file.Columns);
        }

        [Fact]
        public void Thirteen_columns_are_refused_naming_the_count_and_pointing_to_Layout()
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", 13);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
            Assert.Equal(path, ex.Path);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("13", ex.Message, StringComparison.Ordinal);
            Assert.Contains("-Layout", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(10)]
        [InlineData(14)]
        [InlineData(16)]
        public void Other_column_counts_are_refused_as_layout_mismatch(int columns)
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", columns);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
            Assert.Contains(columns.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
            Assert.Contains("-Layout", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Thirteen_columns_open_without_checks_and_with_a_custom_map()
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", 13);
            using (BatchFile unchecked13 = BatchFile.OpenUnchecked(path))
            {
                // Read, but with no layout chosen: no built-in one has 13 columns, and nothing falls back to Seed12.
                Assert.Equal(4, unchecked13.Count);
                Assert.Null(unchecked13.ColumnLayout);
                Assert.Null(unchecked13.Batch.Layout);
                Assert.Contains("13 columns", unchecked13.LayoutProblem, StringComparison.Ordinal);
                Assert.Throws<InvalidOperationException>(() => ClusterSelector.Select(unchecked13, new ClusterFilter()));
                Assert.Throws<InvalidOperationException>(() => new ClusterStatistics().Add(unchecked13));
            }

            using (BatchFile given = BatchFile.OpenUnchecked(path, ClusterLayout.Seed12))
            {
                // A given layout that does not accept the column count is not used either.
                Assert.Null(given.ColumnLayout);
                Assert.Contains("layout Seed12 expects 12", given.LayoutProblem, StringComparison.Ordinal);
            }

            ClusterLayout custom = ClusterLayout.FromMap(Map(("IsMarley", 0), ("IsMainTrack", 1), ("ParticleEnergy", 9), ("ColumnCount", 13)));
            using BatchFile file = BatchFile.Open(path, custom);
            Assert.Equal("Custom", file.Batch.Layout);
            Cluster c = ClusterSelector.Select(file, new ClusterFilter())[2];
            Assert.Equal(2 + 0.25f * 10, c.ParticleEnergy);
            Assert.Equal("Unknown", c.Interaction);
            Assert.Null(c.NuEnergy);

            // A layout without a plane column takes the file name's plane.
            Assert.Equal(2, c.PlaneId);
            Assert.Equal("X", c.Plane);
        }

        [Fact]
        public void Explicit_layout_with_the_wrong_column_count_is_refused()
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", 11);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path, ClusterLayout.Seed12));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
            Assert.Contains("11", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Seed12", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Plane_column_disagreeing_with_the_file_name_is_refused()
        {
            string path = WriteColumns("clusters_planeU_batch0000.npz", 12, planeId: 2);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
            Assert.Contains("plane", ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("-Layout", ex.Message, StringComparison.Ordinal);

            // The same check runs with an explicit layout ...
            Assert.Equal(NpzErrorCode.LayoutMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Open(path, ClusterLayout.Seed12)).Code);

            // ... and is skipped only when asked (the audit reads this way and reports findings instead).
            using BatchFile file = BatchFile.OpenUnchecked(path);
            Assert.Same(ClusterLayout.Seed12, file.ColumnLayout);
            Assert.Null(file.LayoutProblem);
            Assert.Equal("U", file.Batch.Plane);
            Assert.All(ClusterSelector.Select(file, new ClusterFilter()), c => Assert.Equal("X", c.Plane));
        }

        [Fact]
        public void Newer_plane_only_file_names_are_checked_too()
        {
            string path = WriteColumns("run7_images_planeV.npz", 12, planeId: 0);
            Assert.Equal(NpzErrorCode.LayoutMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Open(path)).Code);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(11)]
        public void Seed12_flag_of_one_half_is_refused(int column)
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", 12, tweak: md => md[12 + column] = 0.5f);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
            Assert.Contains("0.5", ex.Message, StringComparison.Ordinal);
            Assert.Contains("-Layout", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(float.NaN)]
        [InlineData(-1f)]
        [InlineData(2f)]
        public void Seed12_flag_outside_0_1_is_refused(float value)
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", 12, tweak: md => md[0] = value);
            Assert.Equal(NpzErrorCode.LayoutMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Open(path)).Code);
        }

        [Fact]
        public void Momentum15_flag_in_column_14_is_checked()
        {
            string path = WriteColumns("clusters_planeX_batch0000.npz", 15, tweak: md => md[15 + 14] = 0.5f);
            Assert.Equal(NpzErrorCode.LayoutMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Open(path)).Code);
        }

        [Theory]
        [InlineData(3f)]
        [InlineData(-1f)]
        [InlineData(1.5f)]
        public void Plane_id_outside_0_1_2_is_refused_even_without_a_plane_in_the_name(float id)
        {
            string path = WriteColumns("batch.npz", 12, tweak: md => md[10] = id);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
        }

        [Fact]
        public void Batch_plane_comes_from_metadata_when_the_name_has_none()
        {
            using (BatchFile file = BatchFile.Open(WriteColumns("uniform.npz", 12, planeId: 1)))
            {
                Assert.Equal("V", file.Batch.Plane);
                Assert.Null(file.Batch.BatchNumber);
            }

            string mixed = WriteColumns("mixed.npz", 12, tweak: md => md[10] = 0);
            using (BatchFile file = BatchFile.Open(mixed))
            {
                Assert.Null(file.Batch.Plane);
                IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());
                Assert.Equal("U", clusters[0].Plane);
                Assert.Equal("X", clusters[1].Plane);
            }
        }

        [Fact]
        public void Momentum15_golden_decodes_each_field_from_its_column()
        {
            string path = TestData.GoldenFile("momentum15/clusters_planeU_batch0000.npz");
            using BatchFile file = BatchFile.Open(path);
            Assert.Equal("Momentum15", file.Batch.Layout);
            Assert.Equal("U", file.Batch.Plane);
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());
            Assert.NotEmpty(clusters);
            foreach (Cluster c in clusters)
            {
                float[] m = c.Metadata;
                Assert.Equal(15, m.Length);
                Assert.Equal(m[0] == 1f, c.IsMarley);
                Assert.Equal(m[1] == 1f, c.IsMainTrack);
                Assert.Equal(new ClusterVector(m[2], m[3], m[4]), c.Position);
                Assert.Equal(new ClusterVector(m[5], m[6], m[7]), c.Direction);
                Assert.Equal(new ClusterVector(m[8], m[9], m[10]), c.Momentum);
                Assert.Equal(m[11] == -1f ? (float?)null : m[11], c.NuEnergy);
                Assert.Equal(m[12], c.ParticleEnergy);
                Assert.Equal((int)m[13], c.PlaneId);
                Assert.Equal(0, c.PlaneId);
                Assert.Equal("U", c.Plane);
                Assert.Equal(m[14] == 1f ? "ES" : "CC", c.Interaction);
                Assert.Equal("Momentum15", c.Layout);
            }

            // The golden file holds both interactions, so the mapping of column 14 is really exercised.
            Assert.Contains(clusters, c => c.Interaction == "ES");
            Assert.Contains(clusters, c => c.Interaction == "CC");
        }

        [Fact]
        public void Legacy11_golden_has_unknown_interaction_and_plane_from_the_file_name()
        {
            string path = TestData.GoldenFile("legacy11/clusters_planeV_batch0000.npz");
            using BatchFile file = BatchFile.Open(path);
            Assert.Equal("Legacy11", file.Batch.Layout);
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());
            Assert.NotEmpty(clusters);
            foreach (Cluster c in clusters)
            {
                Assert.Equal(11, c.Metadata.Length);
                Assert.Equal("Unknown", c.Interaction);
                Assert.Equal(1, c.PlaneId);
                Assert.Equal("V", c.Plane);
                Assert.Null(c.Momentum);
                Assert.Equal(c.Metadata[9], c.ParticleEnergy);
            }

            // Interaction filters never match an unknown interaction.
            Assert.Empty(ClusterSelector.Select(file, new ClusterFilter { Interaction = "ES" }));
            Assert.Empty(ClusterSelector.Select(file, new ClusterFilter { Interaction = "CC" }));
            Assert.Equal(clusters.Count, ClusterSelector.Select(file, new ClusterFilter { Planes = new[] { Plane.V } }).Count);
        }

        [Fact]
        public void Seed12_golden_decodes_the_section_1_columns()
        {
            using BatchFile file = BatchFile.Open(TestData.GoldenFile("clusters_planeX_batch0007.npz"));
            foreach (Cluster c in ClusterSelector.Select(file, new ClusterFilter()))
            {
                float[] m = c.Metadata;
                Assert.Equal(m[0] == 1f, c.IsMarley);
                Assert.Equal(m[1] == 1f, c.IsMainTrack);
                Assert.Equal(new ClusterVector(m[2], m[3], m[4]), c.Position);
                Assert.Equal(new ClusterVector(m[5], m[6], m[7]), c.Direction);
                Assert.Equal(m[8] == -1f ? (float?)null : m[8], c.NuEnergy);
                Assert.Equal(m[9], c.ParticleEnergy);
                Assert.Equal(2, c.PlaneId);
                Assert.Equal(m[11] == 1f ? "ES" : "CC", c.Interaction);
                Assert.Null(c.Momentum);
            }
        }

        [Fact]
        public void FromName_knows_the_built_in_layouts_case_insensitively()
        {
            Assert.Same(ClusterLayout.Seed12, ClusterLayout.FromName("seed12"));
            Assert.Same(ClusterLayout.Legacy11, ClusterLayout.FromName("LEGACY11"));
            Assert.Same(ClusterLayout.Momentum15, ClusterLayout.FromName("Momentum15"));
            Assert.Null(ClusterLayout.FromName("Seed13"));
            Assert.Equal(new[] { "Seed12", "Legacy11", "Momentum15" }, ClusterLayout.BuiltIn.Select(l => l.Name));
        }

        [Fact]
        public void Custom_map_with_field_names_reads_like_Seed12()
        {
            ClusterLayout custom = ClusterLayout.FromMap(Map(
                ("IsMarley", 0), ("IsMainTrack", 1), ("PositionX", 2), ("PositionY", 3), ("PositionZ", 4),
                ("DirectionX", 5), ("DirectionY", 6), ("DirectionZ", 7), ("NuEnergy", 8), ("ParticleEnergy", 9),
                ("PlaneId", 10), ("IsES", 11)));
            AssertReadsLikeSeed12(custom);
            Assert.Equal(ClusterLayout.Seed12.ToMap(), custom.ToMap());
        }

        [Fact]
        public void Custom_map_with_seed_column_names_reads_like_Seed12()
        {
            ClusterLayout custom = ClusterLayout.FromMap(Map(
                ("is_marley", 0), ("is_main_track", 1), ("true_pos_x", 2), ("true_pos_y", 3), ("true_pos_z", 4),
                ("true_dir_x", 5), ("true_dir_y", 6), ("true_dir_z", 7), ("true_nu_energy", 8), ("true_particle_energy", 9),
                ("plane_id", 10), ("is_es_interaction", 11), ("ColumnCount", 12)));
            Assert.Equal(12, custom.ColumnCount);
            Assert.False(custom.IsBuiltIn);
            AssertReadsLikeSeed12(custom);
        }

        [Fact]
        public void Custom_map_values_may_be_strings_or_other_integer_types()
        {
            ClusterLayout custom = ClusterLayout.FromMap(new[]
            {
                new KeyValuePair<string, object?>("IsMarley", "0"),
                new KeyValuePair<string, object?>("IsMainTrack", 1L),
                new KeyValuePair<string, object?>("ParticleEnergy", (short)9),
            });
            Assert.Equal(9, custom.Column(ClusterField.ParticleEnergy));
            Assert.Equal(10, custom.ColumnCount);
            Assert.True(custom.Accepts(12)); // without ColumnCount, wider files are accepted
            Assert.False(custom.Accepts(9));
        }

        [Fact]
        public void Custom_map_giving_one_column_to_two_fields_is_rejected()
        {
            var ex = Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(Map(("IsMarley", 0), ("IsMainTrack", 0), ("ParticleEnergy", 9))));
            Assert.Contains("0", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Custom_map_giving_one_field_twice_under_two_names_is_rejected()
        {
            Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(Map(("IsMarley", 0), ("is_marley", 3), ("IsMainTrack", 1), ("ParticleEnergy", 9))));
        }

        [Theory]
        [InlineData("IsMarlee")]
        [InlineData("energy")]
        [InlineData("")]
        public void Custom_map_with_an_unknown_name_is_rejected_listing_the_known_fields(string name)
        {
            var ex = Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(Map(("IsMarley", 0), ("IsMainTrack", 1), ("ParticleEnergy", 9), (name, 5))));
            Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("ParticleEnergy", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("IsMarley")]
        [InlineData("IsMainTrack")]
        [InlineData("ParticleEnergy")]
        public void Custom_map_without_a_required_field_is_rejected(string missing)
        {
            var all = new[] { ("IsMarley", 0), ("IsMainTrack", 1), ("ParticleEnergy", 9) };
            var ex = Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(Map(all.Where(p => p.Item1 != missing).ToArray())));
            Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Custom_map_with_bad_column_values_is_rejected()
        {
            Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(Map(("IsMarley", -1), ("IsMainTrack", 1), ("ParticleEnergy", 9))));
            Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(Map(("IsMarley", 0), ("IsMainTrack", 1), ("ParticleEnergy", 9), ("ColumnCount", 5))));
            Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(new[]
            {
                new KeyValuePair<string, object?>("IsMarley", "zero"),
                new KeyValuePair<string, object?>("IsMainTrack", 1),
                new KeyValuePair<string, object?>("ParticleEnergy", 9),
            }));
        }

        [Fact]
        public void Custom_map_with_a_null_column_is_rejected()
        {
            // Convert.ToInt32(null) is 0: a null must not silently become column 0.
            Assert.Throws<ArgumentException>(() => ClusterLayout.FromMap(new[]
            {
                new KeyValuePair<string, object?>("IsMarley", null),
                new KeyValuePair<string, object?>("IsMainTrack", 1),
                new KeyValuePair<string, object?>("ParticleEnergy", 9),
            }));
        }

        [Fact]
        public void Custom_layout_is_still_checked_for_plausibility()
        {
            string path = WriteColumns("clusters_planeU_batch0000.npz", 12, planeId: 2);
            ClusterLayout custom = ClusterLayout.FromMap(Map(("IsMarley", 0), ("IsMainTrack", 1), ("ParticleEnergy", 9), ("PlaneId", 10)));
            Assert.Equal(NpzErrorCode.LayoutMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Open(path, custom)).Code);
        }

        [Theory]
        [InlineData("clusters_planeU_batch0003.npz", Plane.U, 3)]
        [InlineData("clusters_planeX_batch0123.npz", Plane.X, 123)]
        [InlineData("run2_images_planeV.npz", Plane.V, null)]
        [InlineData("run2_images_planeX", Plane.X, null)]
        [InlineData("metadata.npz", null, null)]
        [InlineData("clusters_planeQ_batch0001.npz", null, null)]
        public void Batch_file_names_give_plane_and_number(string name, Plane? plane, int? number)
        {
            Assert.Equal(plane, BatchFileName.PlaneOf(name));
            Assert.Equal(number, BatchFileName.BatchNumberOf(name));
            Assert.Equal((plane, number), BatchFileName.Parse(name));
        }

        [Fact]
        public void Batch_file_name_format_is_the_seed_naming()
        {
            Assert.Equal("clusters_planeX_batch0007.npz", BatchFileName.Format(Plane.X, 7));
        }

        private static void AssertReadsLikeSeed12(ClusterLayout custom)
        {
            string path = TestData.GoldenFile("clusters_planeX_batch0007.npz");
            using BatchFile seed = BatchFile.Open(path, ClusterLayout.Seed12);
            using BatchFile mapped = BatchFile.Open(path, custom);
            IReadOnlyList<Cluster> a = ClusterSelector.Select(seed, new ClusterFilter());
            IReadOnlyList<Cluster> b = ClusterSelector.Select(mapped, new ClusterFilter());
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                Assert.Equal(a[i].IsMarley, b[i].IsMarley);
                Assert.Equal(a[i].IsMainTrack, b[i].IsMainTrack);
                Assert.Equal(a[i].Position, b[i].Position);
                Assert.Equal(a[i].Direction, b[i].Direction);
                Assert.Equal(a[i].NuEnergy, b[i].NuEnergy);
                Assert.Equal(a[i].ParticleEnergy, b[i].ParticleEnergy);
                Assert.Equal(a[i].PlaneId, b[i].PlaneId);
                Assert.Equal(a[i].Interaction, b[i].Interaction);
            }
        }

        /// <summary>
        /// The vector check of a whole table (IsPlausible) answers as the rules do value by value, for
        /// built-in and custom layouts of many widths (so every pattern period and remainder occurs),
        /// with and without a plane from the file name, on values that are mostly valid.
        /// </summary>
        [Fact]
        public void The_table_check_agrees_with_the_rules_value_by_value()
        {
            Gen<(ClusterLayout Layout, int Columns)> layouts = TestLayouts.Any(5, 70,
                always: new[] { "IsMarley", "IsMainTrack", "IsES", "PlaneId", "ParticleEnergy" }, sometimes: new string[0]);
            // Valid tables (flags 0 or 1, plane ids 0-2, anything elsewhere), half of them with a few values spoilt.
            var cases =
                from shape in layouts
                from rows in Gen.Int[0, 120]
                from plane in Gen.OneOfConst<Plane?>(null, Plane.U, Plane.V, Plane.X)
                from cells in Gen.Float.Array[rows * shape.Columns]
                from picks in Gen.Int[0, 2].Array[rows * shape.Columns]
                from spoilt in Gen.Int[0, 3]
                from positions in Gen.Int[0, Math.Max(0, rows * shape.Columns - 1)].Array[spoilt]
                from bad in Gen.OneOfConst(-0f, 0.5f, -1f, 3f, 2f, 1f, float.NaN, 1.0000001f, float.PositiveInfinity).Array[spoilt]
                from spoil in Gen.Bool
                select (shape.Layout, shape.Columns, rows, values: Table(shape.Layout, shape.Columns, rows, plane, cells, picks, spoil && rows > 0 ? positions : new int[0], bad), plane);

            cases.Sample(c =>
            {
                bool expected = true;
                for (int r = 0; r < c.rows; r++)
                {
                    foreach (ClusterField flag in new[] { ClusterField.IsMarley, ClusterField.IsMainTrack, ClusterField.IsES })
                    {
                        int col = c.Layout.Column(flag);
                        if (col >= 0 && !MetadataRules.IsFlag(c.values[r * c.Columns + col])) expected = false;
                    }

                    int p = c.Layout.Column(ClusterField.PlaneId);
                    if (p >= 0)
                    {
                        Plane? named = MetadataRules.PlaneOf(c.values[r * c.Columns + p]);
                        if (named == null || (c.plane.HasValue && named != c.plane)) expected = false;
                    }
                }

                Assert.Equal(expected, c.Layout.IsPlausible(c.values, c.rows, c.Columns, c.plane));
                Assert.Equal(expected, c.Layout.CheckPlausibility(c.values, c.rows, c.Columns, c.plane) == null);
            }, iter: 3000);
        }

        private static float[] Table(ClusterLayout layout, int columns, int rows, Plane? plane, float[] cells, int[] picks, int[] spoilt, float[] bad)
        {
            var values = (float[])cells.Clone();
            for (int r = 0; r < rows; r++)
            {
                foreach (ClusterField flag in new[] { ClusterField.IsMarley, ClusterField.IsMainTrack, ClusterField.IsES })
                {
                    int col = layout.Column(flag);
                    if (col >= 0) values[r * columns + col] = picks[r * columns + col] % 2;
                }

                int p = layout.Column(ClusterField.PlaneId);
                if (p >= 0) values[r * columns + p] = plane.HasValue ? (int)plane.Value : picks[r * columns + p];
            }

            for (int i = 0; i < spoilt.Length; i++) values[spoilt[i]] = bad[i];
            return values;
        }
    }
}
