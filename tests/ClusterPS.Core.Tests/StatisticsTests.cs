using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// ClusterStatistics on the shipped samples against the numbers NumPy computes
    /// (tests/data/samples_expected.json, from make_samples_expected.py), and the reference report layout.
    /// </summary>
    public class StatisticsTests
    {
        private static ClusterStatistics DirectoryStatistics()
        {
            var stats = new ClusterStatistics();
            stats.AddSource(TestData.Samples, isFile: false);
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                stats.Add(file);
            }

            return stats;
        }

        private static ClusterStatistics FileStatistics(string path, bool addSource = true)
        {
            var stats = new ClusterStatistics();
            if (addSource) stats.AddSource(path, isFile: true);
            using BatchFile file = BatchFile.Open(path);
            stats.Add(file);
            return stats;
        }

        private static void AssertNumbers(JsonElement expected, ClusterStatistics actual)
        {
            Assert.Equal(expected.GetProperty("batches").GetInt32(), actual.Batches);
            Assert.Equal(expected.GetProperty("clusters").GetInt64(), actual.Clusters);
            Assert.Equal(expected.GetProperty("bytes").GetInt64(), actual.Bytes);
            Assert.Equal(expected.GetProperty("plane_u").GetInt64(), actual.PlaneU);
            Assert.Equal(expected.GetProperty("plane_v").GetInt64(), actual.PlaneV);
            Assert.Equal(expected.GetProperty("plane_x").GetInt64(), actual.PlaneX);
            Assert.Equal(expected.GetProperty("es").GetInt64(), actual.ES);
            Assert.Equal(expected.GetProperty("cc").GetInt64(), actual.CC);
            Assert.Equal(0, actual.UnknownInteraction);
            Assert.Equal(expected.GetProperty("marley").GetInt64(), actual.Marley);
            Assert.Equal(expected.GetProperty("main_track").GetInt64(), actual.MainTrack);
            Assert.Equal(expected.GetProperty("nu_unknown").GetInt64(), actual.NuEnergyUnknown);

            Assert.Equal(Percent(expected, "plane_u"), actual.PlaneUPercent);
            Assert.Equal(Percent(expected, "plane_v"), actual.PlaneVPercent);
            Assert.Equal(Percent(expected, "plane_x"), actual.PlaneXPercent);
            Assert.Equal(Percent(expected, "es"), actual.ESPercent);
            Assert.Equal(Percent(expected, "cc"), actual.CCPercent);
            Assert.Equal(Percent(expected, "marley"), actual.MarleyPercent);
            Assert.Equal(Percent(expected, "main_track"), actual.MainTrackPercent);

            Assert.Equal(TestData.F32(expected.GetProperty("particle_energy_min")), actual.ParticleEnergyMin);
            Assert.Equal(TestData.F32(expected.GetProperty("particle_energy_max")), actual.ParticleEnergyMax);
            Assert.Equal(TestData.F32(expected.GetProperty("nu_energy_min")), actual.NuEnergyMin);
            Assert.Equal(TestData.F32(expected.GetProperty("nu_energy_max")), actual.NuEnergyMax);
            Assert.Equal(Math.Round(actual.Bytes / 1e6, 2), actual.SizeMB);
        }

        private static double Percent(JsonElement expected, string key) =>
            double.Parse(expected.GetProperty(key + "_percent").GetString()!, CultureInfo.InvariantCulture);

        private static string Report(JsonElement reportOwner, string source) =>
            reportOwner.GetProperty("report").GetString()!.Replace("{source}", source, StringComparison.Ordinal);

        [Fact]
        public void Directory_numbers_equal_numpy()
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            AssertNumbers(doc.RootElement.GetProperty("total").GetProperty("stats"), DirectoryStatistics());
        }

        [Fact]
        public void Directory_report_matches_the_reference_layout_exactly()
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            ClusterStatistics stats = DirectoryStatistics();
            Assert.Equal("Directory", stats.SourceKind);
            Assert.Equal(TestData.Samples, stats.Source);
            Assert.Equal(Report(doc.RootElement.GetProperty("total"), TestData.Samples), stats.ToReport());
            Assert.Equal(stats.ToReport(), stats.ToString());
        }

        [Fact]
        public void Per_file_numbers_and_File_report_equal_numpy()
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            foreach (JsonElement f in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                string path = Path.Combine(TestData.Samples, f.GetProperty("file").GetString()!);
                ClusterStatistics stats = FileStatistics(path);
                AssertNumbers(f.GetProperty("stats"), stats);
                Assert.Equal("File", stats.SourceKind);
                Assert.Equal(Report(f, path), stats.ToReport());
            }
        }

        [Fact]
        public void Single_file_without_a_named_source_reports_as_File()
        {
            string path = TestData.SampleFiles()[0];
            ClusterStatistics stats = FileStatistics(path, addSource: false);
            Assert.Equal("File", stats.SourceKind);
            Assert.Equal(path, stats.Source);
            Assert.StartsWith("Dataset Statistics:\n  File: " + path + "\n", stats.ToReport(), StringComparison.Ordinal);
        }

        [Fact]
        public void Report_uses_one_decimal_percentages_and_two_decimal_megabytes_in_every_culture()
        {
            CultureInfo saved = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
                Assert.Equal(Report(doc.RootElement.GetProperty("total"), TestData.Samples), DirectoryStatistics().ToReport());
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }
        }

        [Fact]
        public void Statistics_from_clusters_count_their_distinct_files_as_batches()
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            var stats = new ClusterStatistics();
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                foreach (Cluster c in ClusterSelector.Select(file, new ClusterFilter())) stats.Add(c);
            }

            AssertNumbers(doc.RootElement.GetProperty("total").GetProperty("stats"), stats);
            Assert.Equal("Directory", stats.SourceKind);
            Assert.Equal(TestData.Samples, stats.Source);
        }

        [Fact]
        public void Empty_statistics_print_zeros_and_zero_percent()
        {
            var stats = new ClusterStatistics();
            stats.AddSource("nothing-here", isFile: false);
            string report = stats.ToReport();

            Assert.Equal(
                "Dataset Statistics:\n" +
                "  Directory: nothing-here\n" +
                "  Total batches: 0\n" +
                "  Total clusters: 0\n" +
                "  Total size: 0.00 MB\n" +
                "\n" +
                "  Plane distribution:\n" +
                "    U: 0 (0.0%)\n" +
                "    V: 0 (0.0%)\n" +
                "    X: 0 (0.0%)\n" +
                "\n" +
                "  Interaction types:\n" +
                "    ES: 0 (0.0%)\n" +
                "    CC: 0 (0.0%)\n" +
                "\n" +
                "  Marley clusters: 0 (0.0%)\n" +
                "  Main track clusters: 0 (0.0%)",
                report);
            Assert.Equal(0.0, stats.MarleyPercent);
            Assert.Equal(0.0, stats.PlaneXPercent);
            Assert.Null(stats.ParticleEnergyMin);
            Assert.Null(stats.NuEnergyMax);
            Assert.Equal(0.0, stats.SizeMB);
        }

        [Fact]
        public void Statistics_with_no_input_at_all_do_not_throw()
        {
            var stats = new ClusterStatistics();
            Assert.Contains("Total clusters: 0", stats.ToReport(), StringComparison.Ordinal);
            Assert.Equal(0.0, stats.ESPercent);
        }

        [Fact]
        public void Empty_batch_file_counts_as_a_batch_with_zero_percentages()
        {
            ClusterStatistics stats = FileStatistics(TestData.GoldenFile("zero_clusters_planeX.npz"));
            Assert.Equal(1, stats.Batches);
            Assert.Equal(0, stats.Clusters);
            Assert.Contains("    X: 0 (0.0%)", stats.ToReport(), StringComparison.Ordinal);
        }

        [Fact]
        public void Merge_and_plus_add_the_counts_of_per_file_statistics()
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            JsonElement total = doc.RootElement.GetProperty("total").GetProperty("stats");
            ClusterStatistics[] parts = TestData.SampleFiles().Select(p => FileStatistics(p)).ToArray();

            ClusterStatistics merged = ClusterStatistics.Merge(parts);
            AssertNumbers(total, merged);
            Assert.Equal("Directory", merged.SourceKind);

            ClusterStatistics plus = parts[0] + parts[1] + parts[2] + parts[3];
            AssertNumbers(total, plus);

            // Merging does not change its inputs.
            AssertNumbers(doc.RootElement.GetProperty("files")[0].GetProperty("stats"), parts[0]);
        }

        [Fact]
        public void Merge_of_two_halves_equals_the_whole()
        {
            IReadOnlyList<string> files = TestData.SampleFiles();
            var a = new ClusterStatistics();
            var b = new ClusterStatistics();
            for (int i = 0; i < files.Count; i++)
            {
                using BatchFile file = BatchFile.Open(files[i]);
                (i % 2 == 0 ? a : b).Add(file);
            }

            ClusterStatistics whole = DirectoryStatistics();
            ClusterStatistics sum = a + b;
            Assert.Equal(whole.Batches, sum.Batches);
            Assert.Equal(whole.Clusters, sum.Clusters);
            Assert.Equal(whole.Bytes, sum.Bytes);
            Assert.Equal(whole.Marley, sum.Marley);
            Assert.Equal(whole.ES, sum.ES);
            Assert.Equal(whole.PlaneX, sum.PlaneX);
            Assert.Equal(whole.ParticleEnergyMin, sum.ParticleEnergyMin);
            Assert.Equal(whole.ParticleEnergyMax, sum.ParticleEnergyMax);
            Assert.Equal(whole.NuEnergyMin, sum.NuEnergyMin);
            Assert.Equal(whole.NuEnergyMax, sum.NuEnergyMax);
        }

        [Fact]
        public void Cluster_from_an_already_counted_file_counts_neither_the_file_nor_the_cluster_twice()
        {
            string path = TestData.SampleFiles()[0];
            using BatchFile file = BatchFile.Open(path);
            var stats = new ClusterStatistics();
            stats.Add(file);
            long bytes = stats.Bytes;
            long clusters = stats.Clusters;

            Cluster one = ClusterSelector.Select(file, new ClusterFilter())[0];
            stats.Add(one);

            Assert.Equal(1, stats.Batches);
            Assert.Equal(bytes, stats.Bytes);
            Assert.Equal(new FileInfo(path).Length, stats.Bytes);
            Assert.Equal(clusters, stats.Clusters);
        }

        [Fact]
        public void Clusters_from_one_file_count_one_batch()
        {
            string path = TestData.SampleFiles()[1];
            using BatchFile file = BatchFile.Open(path);
            var stats = new ClusterStatistics();
            foreach (Cluster c in ClusterSelector.Select(file, new ClusterFilter { Marley = true })) stats.Add(c);
            Assert.Equal(1, stats.Batches);
            Assert.Equal(new FileInfo(path).Length, stats.Bytes);
            Assert.Equal(stats.Clusters, stats.Marley);
            Assert.Equal(100.0, stats.MarleyPercent);
        }

        [Fact]
        public void Same_file_added_twice_is_counted_once()
        {
            string path = TestData.SampleFiles()[0];
            var stats = new ClusterStatistics();
            using (BatchFile file = BatchFile.Open(path)) stats.Add(file);
            using (BatchFile again = BatchFile.Open(path)) stats.Add(again);
            Assert.Equal(1, stats.Batches);
            Assert.Equal(40, stats.Clusters);
        }

        [Fact]
        public void Legacy11_clusters_are_counted_as_unknown_interaction()
        {
            string path = TestData.GoldenFile("legacy11/clusters_planeV_batch0000.npz");
            ClusterStatistics stats = FileStatistics(path);
            Assert.Equal(4, stats.Clusters);
            Assert.Equal(4, stats.UnknownInteraction);
            Assert.Equal(0, stats.ES);
            Assert.Equal(0, stats.CC);
            Assert.Equal(4, stats.PlaneV);
            Assert.Contains("    Unknown: 4 (100.0%)", stats.ToReport(), StringComparison.Ordinal);
        }

        [Fact]
        public void Statistics_of_a_file_read_without_layout_checks_count_only_under_a_layout_that_fits()
        {
            // The audit reads files without the layout checks. A 10-column file then has no layout (none
            // has 10 columns, and nothing falls back to Seed12, whose columns 10 and 11 do not exist):
            // counting it is refused by name, never an index past the row.
            using var temp = new TempDir();
            string path = temp.File("clusters_planeX_batch0000.npz");
            var md = new float[3 * 10];
            TestNpz.WriteBatch(path, md, 10);
            using (BatchFile file = BatchFile.OpenUnchecked(path))
            {
                Assert.Null(file.ColumnLayout);
                var ex = Assert.Throws<InvalidOperationException>(() => new ClusterStatistics().Add(file));
                Assert.Contains("without a layout", ex.Message, StringComparison.Ordinal);
            }

            // A custom map that fits 10 columns counts them, the plane from the file name.
            ClusterLayout custom = ClusterLayout.FromMap(new Dictionary<string, object?> { ["IsMarley"] = 0, ["IsMainTrack"] = 1, ["ParticleEnergy"] = 9 });
            using BatchFile mapped = BatchFile.OpenUnchecked(path, custom);
            var stats = new ClusterStatistics();
            stats.Add(mapped);
            Assert.Equal(3, stats.Clusters);
            Assert.Equal(3, stats.PlaneX);
        }
    }
}
