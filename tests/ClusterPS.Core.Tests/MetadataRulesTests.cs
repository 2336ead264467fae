using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// The metadata rules, and that every consumer (plausibility check, filter, statistics, Cluster,
    /// exporter, audit) answers by them: a plane id of 2.5 names no plane anywhere.
    /// </summary>
    public class MetadataRulesTests
    {
        [Theory]
        [InlineData(0f, Plane.U)]
        [InlineData(1f, Plane.V)]
        [InlineData(2f, Plane.X)]
        public void Plane_ids_0_1_2_name_the_planes(float id, Plane plane) => Assert.Equal(plane, MetadataRules.PlaneOf(id));

        [Fact]
        public void The_lists_of_plane_ids_and_flag_values_are_what_the_rules_accept()
        {
            Assert.Equal(new[] { Plane.U, Plane.V, Plane.X }, MetadataRules.PlaneIds.Select(id => MetadataRules.PlaneOf(id)!.Value));
            foreach (Plane plane in Enum.GetValues(typeof(Plane))) Assert.Equal(plane, MetadataRules.PlaneOf(MetadataRules.PlaneId(plane)));
            Assert.All(MetadataRules.FlagValues, v => Assert.True(MetadataRules.IsFlag(v)));
            Assert.Equal(new[] { 0f, 1f }, MetadataRules.FlagValues);
        }

        [Theory]
        [InlineData(2.5f)]
        [InlineData(0.5f)]
        [InlineData(1.0000001f)]
        [InlineData(-1f)]
        [InlineData(3f)]
        [InlineData(float.NaN)]
        [InlineData(float.PositiveInfinity)]
        public void Other_plane_ids_name_no_plane(float id) => Assert.Null(MetadataRules.PlaneOf(id));

        [Fact]
        public void Flags_sentinel_and_unit_tolerance()
        {
            Assert.True(MetadataRules.IsFlag(0f) && MetadataRules.IsFlag(1f));
            Assert.False(MetadataRules.IsFlag(0.5f) || MetadataRules.IsFlag(float.NaN) || MetadataRules.IsFlag(2f));
            Assert.True(MetadataRules.IsSet(1f));
            Assert.False(MetadataRules.IsSet(0f) || MetadataRules.IsSet(0.9999f));
            Assert.True(MetadataRules.IsUnknownEnergy(-1f));
            Assert.Null(MetadataRules.NuEnergyOf(-1f));
            Assert.Equal(3.5f, MetadataRules.NuEnergyOf(3.5f));
            Assert.True(MetadataRules.IsBadNuEnergy(-2f));
            Assert.False(MetadataRules.IsBadNuEnergy(-1f) || MetadataRules.IsBadNuEnergy(0f));
            Assert.True(MetadataRules.IsBadParticleEnergy(-0.5f));
            Assert.True(MetadataRules.IsUnitOrZero(0) && MetadataRules.IsUnitOrZero(1.0005) && MetadataRules.IsUnitOrZero(double.NaN));
            Assert.False(MetadataRules.IsUnitOrZero(1.01));
        }

        [Fact]
        public void Seed12_is_built_from_the_named_seed_columns()
        {
            // Every SeedColumn constant names a ClusterField, and Seed12 puts that field in that column.
            FieldInfo[] constants = typeof(SeedColumn).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.Name != nameof(SeedColumn.Count)).ToArray();
            Assert.Equal(SeedColumn.Count, constants.Length);
            foreach (FieldInfo constant in constants)
            {
                var field = (ClusterField)Enum.Parse(typeof(ClusterField), constant.Name);
                Assert.Equal((int)constant.GetValue(null)!, ClusterLayout.Seed12.Column(field));
            }

            Assert.Equal(SeedColumn.Count, ClusterLayout.Seed12.ColumnCount);
            Assert.False(ClusterLayout.Legacy11.Has(ClusterField.IsES));
            Assert.Equal(11, ClusterLayout.Momentum15.Column(ClusterField.NuEnergy));
            Assert.Equal(8, ClusterLayout.Momentum15.Column(ClusterField.MomentumX));
            Assert.Equal(13, ClusterLayout.Momentum15.Column(ClusterField.PlaneId));
        }

        [Fact]
        public void Built_in_layouts_give_every_column_to_one_field_only()
        {
            foreach (ClusterLayout layout in ClusterLayout.BuiltIn)
            {
                IDictionary<string, int> map = layout.ToMap();
                Assert.Equal(layout.ColumnCount, map.Count);
                Assert.Equal(Enumerable.Range(0, layout.ColumnCount), map.Values.OrderBy(c => c));
            }
        }

        /// <summary>Five plane-X clusters; cluster 2 has plane id 2.5.</summary>
        private static string WriteHalfPlaneFile(TempDir temp)
        {
            string path = temp.File("clusters_planeX_batch0000.npz");
            float[] md = TestNpz.Seed12Rows(5, planeId: 2);
            md[2 * SeedColumn.Count + SeedColumn.PlaneId] = 2.5f;
            TestNpz.WriteBatch(path, md, SeedColumn.Count, TestNpz.EighthImages(5, 4, 3));
            return path;
        }

        [Fact]
        public void Plane_id_2_5_fails_the_layout_check()
        {
            using var temp = new TempDir();
            string path = WriteHalfPlaneFile(temp);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.LayoutMismatch, ex.Code);
            Assert.Contains("holds 2.5 in cluster 2", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Plane_id_2_5_read_unchecked_is_no_plane_for_the_cluster_the_filter_and_the_statistics()
        {
            using var temp = new TempDir();
            using BatchFile file = BatchFile.OpenUnchecked(WriteHalfPlaneFile(temp));
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());
            Cluster half = clusters[2];

            // Cluster: no plane (not "X" by truncation); the raw value stays in Metadata.
            Assert.Null(half.Plane);
            Assert.Null(half.PlaneId);
            Assert.Equal(2.5f, half.Metadata[SeedColumn.PlaneId]);
            Assert.Equal("X", clusters[1].Plane);
            Assert.Equal(2, clusters[1].PlaneId);

            // Filter: -Plane never matches it, whichever planes are asked for.
            var anyPlane = new ClusterFilter { Planes = new[] { Plane.U, Plane.V, Plane.X } };
            Assert.False(anyPlane.Matches(half));
            Assert.DoesNotContain(ClusterSelector.Select(file, anyPlane), c => c.Index == 2);
            Assert.Equal(4, ClusterSelector.Select(file, new ClusterFilter { Planes = new[] { Plane.X } }).Count);

            // Statistics: counted as a cluster, in none of U, V, X; from the file and from the cluster alike.
            var fromFile = new ClusterStatistics();
            fromFile.Add(file);
            Assert.Equal(5, fromFile.Clusters);
            Assert.Equal((0, 0, 4), (fromFile.PlaneU, fromFile.PlaneV, fromFile.PlaneX));
            var fromCluster = new ClusterStatistics();
            fromCluster.Add(half);
            Assert.Equal(1, fromCluster.Clusters);
            Assert.Equal(0, fromCluster.PlaneU + fromCluster.PlaneV + fromCluster.PlaneX);

            // Exporter: no plane, so no plane's batch series.
            var ex = Assert.Throws<ClusterNotExportableException>(() => new BatchExporter(10, null).Add(half));
            Assert.Contains("no valid plane", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Plane_id_2_5_is_an_audit_finding_not_a_plane_mismatch()
        {
            using var temp = new TempDir();
            IReadOnlyList<AuditFinding> findings = new DatasetAuditor(null).AuditFile(WriteHalfPlaneFile(temp));
            AuditFinding finding = Assert.Single(findings, f => f.Rule == "InvalidPlaneId");
            Assert.Equal(DatasetAuditor.Error, finding.Severity);
            Assert.Equal(2, finding.Index);
            Assert.Contains("plane id 2.5", finding.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(findings, f => f.Rule == "PlaneMismatch");
        }

        [Fact]
        public void Audit_reads_a_custom_layout_s_direction_columns_by_field_not_by_position()
        {
            // Direction columns out of order (x 7, y 5, z 6): a unit vector read positionally from
            // DirectionX would be (x, ?, ?) past the intended columns.
            using var temp = new TempDir();
            string path = temp.File("clusters_planeU_batch0000.npz");
            var md = new float[2 * 8];
            for (int r = 0; r < 2; r++)
            {
                md[r * 8 + 7] = 1f; // x
                md[r * 8 + 3] = 5f; // particle energy
            }

            TestNpz.WriteBatch(path, md, 8);
            ClusterLayout custom = ClusterLayout.FromMap(new Dictionary<string, object?>
            {
                ["IsMarley"] = 0, ["IsMainTrack"] = 1, ["PlaneId"] = 2, ["ParticleEnergy"] = 3,
                ["DirectionY"] = 5, ["DirectionZ"] = 6, ["DirectionX"] = 7, ["ColumnCount"] = 8,
            });
            IReadOnlyList<AuditFinding> findings = new DatasetAuditor(custom).AuditFile(path);
            Assert.DoesNotContain(findings, f => f.Rule == "DirectionNotUnit");
            Assert.DoesNotContain(findings, f => f.Severity == DatasetAuditor.Error);
        }

        [Fact]
        public void Metadata_read_as_a_value_outlives_the_file()
        {
            string path = TestData.SampleFiles()[0];
            BatchMetadata metadata = BatchFile.ReadMetadata(path);
            using (BatchFile file = BatchFile.Open(path))
            {
                Assert.Equal(file.Metadata, metadata.Rows.ToArray());
                Assert.Equal(file.Batch.Count, metadata.Count);
            }

            // Every file is closed: the value still counts.
            var stats = new ClusterStatistics();
            stats.Add(metadata);
            Assert.Equal(metadata.Count, stats.Clusters);
            Assert.Same(ClusterLayout.Seed12, metadata.ColumnLayout);
            Assert.Equal("<f4", metadata.MetadataDType);
        }
    }
}
