using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>Every valid file NumPy wrote in tests/data/golden reads back exactly as its sidecar says.</summary>
    public class GoldenFileTests
    {
        public static TheoryData<string> Sidecars()
        {
            var data = new TheoryData<string>();
            foreach (string f in Directory.GetFiles(TestData.Golden, "*.expected.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(TestData.Golden, f).Replace(Path.DirectorySeparatorChar, '/'));
            }

            return data;
        }

        [Fact]
        public void Golden_folder_has_all_documented_variants()
        {
            Assert.True(Directory.GetFiles(TestData.Golden, "*.expected.json", SearchOption.AllDirectories).Length >= 25, "expected the 25 golden files of tests/data/README.md");
        }

        [Theory]
        [MemberData(nameof(Sidecars))]
        public void Open_with_sidecar_layout_gives_count_shape_plane_compression_and_exact_metadata(string sidecar)
        {
            var expected = Expected.Load(sidecar);
            using BatchFile file = BatchFile.Open(expected.Path, ClusterLayout.FromName(expected.Layout));

            Assert.Equal(expected.Count, file.Count);
            Assert.Equal(expected.Layout, file.Batch.Layout);
            Assert.Equal(expected.Plane, file.Batch.Plane);
            Assert.Equal(expected.Compressed, file.Batch.Compressed);
            Assert.Equal(expected.ImageShape, file.Batch.ImageShape);
            Assert.Equal(new FileInfo(expected.Path).Length, file.Batch.Length);
            Assert.Equal(expected.Columns, file.Columns);
            Assert.Equal(expected.Count * expected.Columns, file.Metadata.Length);
            for (int r = 0; r < expected.Count; r++)
            {
                for (int c = 0; c < expected.Columns; c++)
                {
                    AssertBitwiseEqual(expected.Metadata[r][c], file.Metadata[r * file.Columns + c], $"metadata[{r},{c}]");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Sidecars))]
        public void Layout_detection_by_column_count_picks_the_sidecar_layout(string sidecar)
        {
            var expected = Expected.Load(sidecar);
            using BatchFile file = BatchFile.Open(expected.Path);
            Assert.Equal(expected.Layout, file.Batch.Layout);
            Assert.Equal(expected.Count, file.Count);
        }

        [Theory]
        [MemberData(nameof(Sidecars))]
        public void Select_all_gives_every_cluster_with_exact_charge_pixels_and_metadata_row(string sidecar)
        {
            var expected = Expected.Load(sidecar);
            using BatchFile file = BatchFile.Open(expected.Path, ClusterLayout.FromName(expected.Layout));
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());

            Assert.Equal(expected.Count, clusters.Count);
            for (int n = 0; n < clusters.Count; n++)
            {
                Cluster cluster = clusters[n];
                Assert.Equal(n, cluster.Index);
                Assert.Equal(expected.Path, cluster.Path);
                Assert.Equal(expected.Columns, cluster.Metadata.Length);
                for (int c = 0; c < expected.Columns; c++) AssertBitwiseEqual(expected.Metadata[n][c], cluster.Metadata[c], $"cluster {n} metadata[{c}]");

                if (expected.Charge == null)
                {
                    Assert.Null(cluster.Image);
                    Assert.Equal(0.0, cluster.Charge);
                }
                else
                {
                    Assert.Equal(expected.Charge[n], cluster.Charge);
                    float[,]? image = cluster.Image;
                    Assert.NotNull(image);
                    Assert.Equal(expected.ImageShape!.Ticks, image!.GetLength(0));
                    Assert.Equal(expected.ImageShape.Channels, image.GetLength(1));
                }
            }

            foreach ((int n, int t, int c, float value) in expected.Pixels)
            {
                AssertBitwiseEqual(value, clusters[n].Image![t, c], $"cluster {n} pixel [{t},{c}]");
            }
        }

        [Theory]
        [MemberData(nameof(Sidecars))]
        public void Charge_summed_while_filtering_equals_sidecar_charge(string sidecar)
        {
            var expected = Expected.Load(sidecar);
            using BatchFile file = BatchFile.Open(expected.Path, ClusterLayout.FromName(expected.Layout));
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity });

            Assert.Equal(expected.Count, clusters.Count);
            for (int n = 0; n < clusters.Count; n++)
            {
                Assert.Equal(expected.Charge?[n] ?? 0.0, clusters[n].Charge);
            }
        }

        [Theory]
        [MemberData(nameof(Sidecars))]
        public void Images_pass_crc_verification(string sidecar)
        {
            var expected = Expected.Load(sidecar);
            using BatchFile file = BatchFile.Open(expected.Path, ClusterLayout.FromName(expected.Layout));
            if (expected.ImageShape == null)
            {
                var ex = Assert.Throws<NpzFormatException>(() => file.OpenImages());
                Assert.Equal(NpzErrorCode.MissingMember, ex.Code);
                return;
            }

            using NpyArray images = file.OpenImages();
            images.ReadToEnd();
        }

        internal static void AssertBitwiseEqual(float expected, float actual, string what)
        {
            if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual))
            {
                Assert.Fail($"{what}: expected {expected:R} (0x{BitConverter.SingleToInt32Bits(expected):x8}), got {actual:R} (0x{BitConverter.SingleToInt32Bits(actual):x8})");
            }
        }

        /// <summary>A golden sidecar (see tests/data/README.md).</summary>
        internal sealed class Expected
        {
            public string Path { get; private set; } = "";
            public string Layout { get; private set; } = "";
            public string Plane { get; private set; } = "";
            public int Count { get; private set; }
            public int Columns { get; private set; }
            public ImageShape? ImageShape { get; private set; }
            public bool Compressed { get; private set; }
            public float[][] Metadata { get; private set; } = Array.Empty<float[]>();
            public double[]? Charge { get; private set; }
            public List<(int N, int T, int C, float Value)> Pixels { get; } = new List<(int, int, int, float)>();

            public static Expected Load(string sidecar)
            {
                string sidecarPath = TestData.GoldenFile(sidecar);
                using JsonDocument doc = TestData.ReadJson(sidecarPath);
                JsonElement root = doc.RootElement;
                var e = new Expected
                {
                    Path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(sidecarPath)!, root.GetProperty("file").GetString()!),
                    Layout = root.GetProperty("layout").GetString()!,
                    Plane = root.GetProperty("plane").GetString()!,
                    Count = root.GetProperty("count").GetInt32(),
                    Compressed = root.GetProperty("compressed").GetBoolean(),
                };
                JsonElement shape = root.GetProperty("image_shape");
                if (shape.ValueKind == JsonValueKind.Array) e.ImageShape = new ImageShape(shape[0].GetInt32(), shape[1].GetInt32());
                e.Metadata = root.GetProperty("metadata").EnumerateArray().Select(row => row.EnumerateArray().Select(TestData.F32).ToArray()).ToArray();
                e.Columns = e.Metadata.Length > 0 ? e.Metadata[0].Length : ColumnsOf(e.Layout);
                JsonElement charge = root.GetProperty("charge");
                if (charge.ValueKind == JsonValueKind.Array) e.Charge = charge.EnumerateArray().Select(v => v.GetDouble()).ToArray();
                foreach (JsonElement p in root.GetProperty("pixels").EnumerateArray())
                {
                    e.Pixels.Add((p[0].GetInt32(), p[1].GetInt32(), p[2].GetInt32(), TestData.F32(p[3])));
                }

                return e;
            }

            private static int ColumnsOf(string layout) => ClusterLayout.FromName(layout)!.ColumnCount;
        }
    }
}
