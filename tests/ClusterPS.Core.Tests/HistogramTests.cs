using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ClusterPS.Npz;
using ClusterPS.Render;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>Binning, grouping and merging against np.histogram (tests/data/make_histogram_expected.py).</summary>
    public class HistogramTests
    {
        private static readonly JsonDocument Expected = TestData.ReadJson(Path.Combine(TestData.Root, "histogram_expected.json"));

        public static IEnumerable<object[]> ValueCases() =>
            Expected.RootElement.GetProperty("values").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

        public static IEnumerable<object[]> DatasetCases() =>
            Expected.RootElement.GetProperty("datasets").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

        [Theory]
        [MemberData(nameof(ValueCases))]
        public void Values_bin_as_np_histogram_does(string name)
        {
            JsonElement c = Case("values", name);
            double[] values = c.GetProperty("values").EnumerateArray().Select(Number).ToArray();
            var builder = new HistogramBuilder("ParticleEnergy", HistogramGroupBy.None, c.GetProperty("bins").GetInt32(), Bound(c, "minimum"), Bound(c, "maximum"));
            builder.Add(new HistogramSample(values, new byte[values.Length]));

            ClusterHistogram h = Assert.Single(builder.Finish());
            Assert.Equal("All", h.Group);
            AssertHistogram(c.GetProperty("expected"), h);
        }

        [Theory]
        [MemberData(nameof(DatasetCases))]
        public void Files_bin_as_np_histogram_does_per_group(string name)
        {
            JsonElement c = Case("datasets", name);
            var groupBy = (HistogramGroupBy)Enum.Parse(typeof(HistogramGroupBy), c.GetProperty("groupBy").GetString()!);
            var builder = new HistogramBuilder(c.GetProperty("property").GetString()!, groupBy, c.GetProperty("bins").GetInt32(), Bound(c, "minimum"), Bound(c, "maximum"));
            foreach (JsonElement path in c.GetProperty("paths").EnumerateArray())
            {
                using BatchFile file = BatchFile.Open(RepoFile(path.GetString()!));
                builder.Add(builder.Read(file));
            }

            IReadOnlyList<ClusterHistogram> histograms = builder.Finish();
            JsonElement[] expected = c.GetProperty("histograms").EnumerateArray().ToArray();
            Assert.Equal(expected.Select(e => e.GetProperty("group").GetString()), histograms.Select(h => h.Group));
            for (int i = 0; i < expected.Length; i++) AssertHistogram(expected[i], histograms[i]);
            Assert.All(histograms, h => Assert.True(h.HasSameBins(histograms[0]), "every group shares the edges"));
        }

        [Fact]
        public void Metadata_fields_never_read_pixels_and_charge_reports_the_damaged_images()
        {
            string path = RepoFile("tests/data/histogram-corrupt/clusters_planeV_batch0000.npz");
            using BatchFile file = BatchFile.Open(path);
            var energy = new HistogramBuilder("ParticleEnergy", HistogramGroupBy.None, 4);
            energy.Add(energy.Read(file));
            Assert.Equal(10, energy.Finish()[0].Total);

            var charge = new HistogramBuilder("charge", HistogramGroupBy.None, 4);
            Assert.True(charge.NeedsPixels);
            var error = Assert.Throws<NpzFormatException>(() => charge.Read(file));
            Assert.Equal(NpzErrorCode.ChecksumMismatch, error.Code);
        }

        [Fact]
        public void Histograms_with_equal_edges_merge_into_the_histogram_of_all_values()
        {
            double[] edges = ClusterHistogram.EqualWidthEdges(0, 40, 8);
            var whole = new HistogramBuilder("ParticleEnergy", HistogramGroupBy.Marley, 8, 0, 40);
            var parts = new List<ClusterHistogram>();
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                var one = new HistogramBuilder("ParticleEnergy", HistogramGroupBy.Marley, 8, 0, 40);
                HistogramSample sample = one.Read(file);
                one.Add(sample);
                whole.Add(sample);
                parts.AddRange(one.Finish());
            }

            foreach (ClusterHistogram expected in whole.Finish())
            {
                ClusterHistogram[] mine = parts.Where(p => p.Group == expected.Group).ToArray();
                ClusterHistogram merged = mine.Skip(1).Aggregate(mine[0], (a, b) => a + b);
                Assert.Equal(edges, merged.Edges);
                Assert.Equal(expected.Counts, merged.Counts);
                Assert.Equal(expected.Total, merged.Total);
                Assert.Equal(expected.Counts, ClusterHistogram.Merge(mine).Counts);
            }
        }

        [Fact]
        public void Histograms_with_other_edges_or_groups_refuse_to_merge()
        {
            ClusterHistogram a = ClusterHistogram.Empty("Charge", "All", ClusterHistogram.EqualWidthEdges(0, 10, 5));
            ClusterHistogram b = ClusterHistogram.Empty("Charge", "All", ClusterHistogram.EqualWidthEdges(0, 11, 5));
            ClusterHistogram c = ClusterHistogram.Empty("Charge", "Marley", ClusterHistogram.EqualWidthEdges(0, 10, 5));
            ClusterHistogram d = ClusterHistogram.Empty("NuEnergy", "All", ClusterHistogram.EqualWidthEdges(0, 10, 5));
            Assert.Contains("different bin edges", Assert.Throws<ArgumentException>(() => a + b).Message);
            Assert.Throws<ArgumentException>(() => a + c);
            Assert.Throws<ArgumentException>(() => a + d);
        }

        [Fact]
        public void FromParts_rebuilds_a_histogram_and_checks_its_parts()
        {
            var h = ClusterHistogram.FromParts("NuEnergy", "Marley", new[] { 0.0, 1, 2 }, new long[] { 3, 4 }, 1, 2, 5);
            Assert.Equal(3 + 4 + 1 + 2, h.Total);
            Assert.Equal(5, h.Missing);
            Assert.Equal(2, h.Bins);
            Assert.Throws<ArgumentException>(() => ClusterHistogram.FromParts("NuEnergy", "Marley", new[] { 0.0, 1 }, new long[] { 3, 4 }, 0, 0, 0));
            Assert.Throws<ArgumentException>(() => ClusterHistogram.FromParts("NuEnergy", "Marley", new[] { 0.0, 2, 1 }, new long[] { 3, 4 }, 0, 0, 0));
            Assert.Throws<ArgumentException>(() => ClusterHistogram.FromParts("NuEnergy", "Marley", new[] { 0.0, 1, 2 }, new long[] { 3, -4 }, 0, 0, 0));
        }

        [Fact]
        public void A_minimum_above_every_value_is_an_error_that_says_so()
        {
            var builder = new HistogramBuilder("ParticleEnergy", HistogramGroupBy.None, 4, minimum: 100);
            builder.Add(new HistogramSample(new[] { 1.0, 2.0 }, new byte[2]));
            Assert.Contains("-Minimum (100) is above every value", Assert.Throws<ArgumentException>(() => builder.Finish()).Message);
            Assert.Throws<ArgumentException>(() => new HistogramBuilder("ParticleEnergy", HistogramGroupBy.None, 4, 5, 1));
            Assert.Throws<ArgumentException>(() => new HistogramBuilder("Brightness", HistogramGroupBy.None, 4));
        }

        [Fact]
        public void The_chart_fits_80_columns_with_colour_or_plain()
        {
            var builder = new HistogramBuilder("Charge", HistogramGroupBy.Marley, 20);
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                builder.Add(builder.Read(file));
            }

            foreach (ClusterHistogram h in builder.Finish())
            {
                string plain = HistogramRenderer.Render(h, color: false, width: 200);
                string[] lines = plain.Split('\n');
                Assert.Equal(h.Bins + 2, lines.Length);
                Assert.All(lines, l => Assert.True(l.Length <= 80, $"'{l}' is {l.Length} columns"));
                Assert.DoesNotContain('\u001b', plain);
                Assert.Contains("█", plain);
                for (int b = 0; b < h.Bins; b++) Assert.EndsWith(" " + h.Counts[b].ToString(CultureInfo.InvariantCulture), lines[b + 1]);
                Assert.EndsWith("]", lines[h.Bins].Split(' ').First(s => s.EndsWith("]") || s.EndsWith(")")));

                string color = HistogramRenderer.Render(h, color: true, width: 60);
                Rgb c = HistogramRenderer.ColorOf(h.Group);
                Assert.Contains($"\u001b[38;2;{c.R};{c.G};{c.B}m", color);
                Assert.All(System.Text.RegularExpressions.Regex.Replace(color, "\u001b\\[[0-9;]*m", "").Split('\n'), l => Assert.True(l.Length <= 60));
            }
        }

        [Fact]
        public void Charge_of_a_file_without_images_is_missing_not_zero()
        {
            using BatchFile file = BatchFile.Open(TestData.GoldenFile("metadata_only.npz"));
            var builder = new HistogramBuilder("Charge", HistogramGroupBy.None, 3);
            builder.Add(builder.Read(file));
            ClusterHistogram h = builder.Finish()[0];
            Assert.Equal(file.Count, h.Missing);
            Assert.Equal(0, h.Total);
        }

        [Fact]
        public void Legacy11_clusters_fall_in_the_unknown_interaction_group()
        {
            using BatchFile file = BatchFile.Open(TestData.GoldenFile("legacy11/clusters_planeV_batch0000.npz"));
            var builder = new HistogramBuilder("ParticleEnergy", HistogramGroupBy.Interaction, 3);
            builder.Add(builder.Read(file));
            ClusterHistogram h = Assert.Single(builder.Finish());
            Assert.Equal("Unknown", h.Group);
            Assert.Equal(file.Count, h.Total);
        }

        [Theory]
        [InlineData("MomentumX", 8)]
        [InlineData("NuEnergy", 11)]
        [InlineData("PlaneId", 13)]
        public void Momentum15_fields_come_from_their_own_columns(string property, int column)
        {
            string path = TestData.GoldenFile("momentum15/clusters_planeU_batch0000.npz");
            using JsonDocument sidecar = TestData.ReadJson(Path.ChangeExtension(path, null) + ".expected.json");
            double[] values = sidecar.RootElement.GetProperty("metadata").EnumerateArray()
                .Select(row => (double)TestData.F32(row[column])).Where(v => property != "NuEnergy" || v != -1).ToArray();
            using BatchFile file = BatchFile.Open(path);
            var builder = new HistogramBuilder(property, HistogramGroupBy.None, 2);
            builder.Add(builder.Read(file));
            ClusterHistogram h = builder.Finish()[0];
            double min = values.Min(), max = values.Max();
            Assert.Equal(values.Length, h.Total);
            Assert.Equal(min == max ? min - 0.5 : min, h.Edges[0]);
            Assert.Equal(min == max ? max + 0.5 : max, h.Edges[2]);
        }

        [Theory]
        [InlineData(0, 10, 5, "")]
        [InlineData(10, 10, 5, "█████")]
        [InlineData(1, 80, 10, "▏")]
        [InlineData(5, 10, 5, "██▌")]
        [InlineData(3, 8, 8, "███")]
        public void Bars_use_eighth_blocks(long count, long max, int width, string bar) =>
            Assert.Equal(bar, HistogramRenderer.Bar(count, max, width));

        private static JsonElement Case(string kind, string name) =>
            Expected.RootElement.GetProperty(kind).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

        private static void AssertHistogram(JsonElement expected, ClusterHistogram actual)
        {
            Assert.Equal(expected.GetProperty("edges").EnumerateArray().Select(e => e.GetDouble()), actual.Edges);
            Assert.Equal(expected.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64()), actual.Counts);
            Assert.Equal(expected.GetProperty("underflow").GetInt64(), actual.Underflow);
            Assert.Equal(expected.GetProperty("overflow").GetInt64(), actual.Overflow);
            Assert.Equal(expected.GetProperty("missing").GetInt64(), actual.Missing);
        }

        private static double? Bound(JsonElement c, string name) => c.TryGetProperty(name, out JsonElement v) ? v.GetDouble() : (double?)null;

        private static double Number(JsonElement e) =>
            e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();

        /// <summary>A repository path as the test output holds it: samples/ and tests/data/ are copied beside the tests.</summary>
        private static string RepoFile(string path) =>
            path.StartsWith("samples/", StringComparison.Ordinal)
                ? Path.Combine(TestData.Samples, path.Substring("samples/".Length))
                : Path.Combine(TestData.Root, path.Substring("tests/data/".Length));
    }
}
