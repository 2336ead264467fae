using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// ClusterFilter / ClusterSelector on the shipped samples, against the selections NumPy makes with
    /// boolean masks (tests/data/samples_expected.json, from make_samples_expected.py).
    /// </summary>
    public class SelectorTests
    {
        public static TheoryData<string> FilterNames()
        {
            var data = new TheoryData<string>();
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            foreach (JsonElement f in doc.RootElement.GetProperty("filters").EnumerateArray()) data.Add(f.GetProperty("name").GetString()!);
            return data;
        }

        [Fact]
        public void Samples_are_the_four_documented_files()
        {
            Assert.Equal(
                new[] { "clusters_planeU_batch0000.npz", "clusters_planeV_batch0000.npz", "clusters_planeX_batch0000.npz", "clusters_planeX_batch0001.npz" },
                TestData.SampleFiles().Select(Path.GetFileName));
        }

        [Theory]
        [MemberData(nameof(FilterNames))]
        public void Selection_equals_the_numpy_mask(string name)
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            JsonElement spec = doc.RootElement.GetProperty("filters").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);
            ClusterFilter filter = ToFilter(spec.GetProperty("filter"));

            int total = 0;
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                IReadOnlyList<Cluster> selected = ClusterSelector.Select(file, filter);
                int[] expected = spec.GetProperty("selected").GetProperty(Path.GetFileName(path)).EnumerateArray().Select(e => e.GetInt32()).ToArray();
                Assert.Equal(expected, selected.Select(c => c.Index));
                Assert.All(selected, c => Assert.True(filter.Matches(c), $"{c} was selected but does not match"));
                total += selected.Count;
            }

            Assert.Equal(spec.GetProperty("count").GetInt32(), total);
        }

        [Theory]
        [MemberData(nameof(FilterNames))]
        public void Matches_on_a_cluster_agrees_with_the_selection(string name)
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            JsonElement spec = doc.RootElement.GetProperty("filters").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);
            ClusterFilter filter = ToFilter(spec.GetProperty("filter"));

            int total = 0;
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                total += ClusterSelector.Select(file, new ClusterFilter()).Count(filter.Matches);
            }

            Assert.Equal(spec.GetProperty("count").GetInt32(), total);
        }

        [Fact]
        public void Every_cluster_charge_equals_the_numpy_float64_sum()
        {
            using JsonDocument doc = TestData.ReadJson(TestData.SamplesExpectedJson);
            foreach (JsonElement f in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                double[] expected = f.GetProperty("charge").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                using BatchFile file = BatchFile.Open(Path.Combine(TestData.Samples, f.GetProperty("file").GetString()!));
                Assert.Equal(expected, ClusterSelector.Select(file, new ClusterFilter()).Select(c => c.Charge));
                Assert.Equal(expected, ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity }).Select(c => c.Charge));
            }
        }

        [Fact]
        public void MinCharge_keeps_a_cluster_whose_charge_equals_the_bound()
        {
            string path = TestData.SampleFiles()[0];
            using BatchFile file = BatchFile.Open(path);
            IReadOnlyList<Cluster> all = ClusterSelector.Select(file, new ClusterFilter());
            Cluster brightest = all.OrderByDescending(c => c.Charge).First();

            IReadOnlyList<Cluster> kept = ClusterSelector.Select(file, new ClusterFilter { MinCharge = brightest.Charge });
            Assert.Contains(kept, c => c.Index == brightest.Index);
            Assert.All(kept, c => Assert.True(c.Charge >= brightest.Charge));
            Assert.Equal(all.Count(c => c.Charge >= brightest.Charge), kept.Count);

            double justAbove = Math.BitIncrement(brightest.Charge);
            Assert.Equal(all.Count(c => c.Charge >= justAbove), ClusterSelector.Select(file, new ClusterFilter { MinCharge = justAbove }).Count);
        }

        [Fact]
        public void Energy_bounds_are_inclusive_at_an_exact_float32_value()
        {
            using BatchFile file = BatchFile.Open(TestData.SampleFiles()[1]);
            Cluster any = ClusterSelector.Select(file, new ClusterFilter())[7];
            double e = any.ParticleEnergy;
            IReadOnlyList<Cluster> exact = ClusterSelector.Select(file, new ClusterFilter { MinEnergy = e, MaxEnergy = e });
            Assert.Contains(exact, c => c.Index == any.Index);
            Assert.All(exact, c => Assert.Equal(any.ParticleEnergy, c.ParticleEnergy));
            Assert.Empty(ClusterSelector.Select(file, new ClusterFilter { MinEnergy = e, MaxEnergy = Math.BitDecrement(e) }));
        }

        [Fact]
        public void Neutrino_energy_filters_never_match_unknown_minus_one()
        {
            foreach (string path in TestData.SampleFiles())
            {
                using BatchFile file = BatchFile.Open(path);
                var wide = new ClusterFilter { MinNuEnergy = double.NegativeInfinity, MaxNuEnergy = double.PositiveInfinity };
                IReadOnlyList<Cluster> known = ClusterSelector.Select(file, wide);
                Assert.All(known, c => Assert.NotNull(c.NuEnergy));
                Assert.Equal(ClusterSelector.Select(file, new ClusterFilter()).Count(c => c.NuEnergy != null), known.Count);
                Assert.Empty(ClusterSelector.Select(file, new ClusterFilter { MinNuEnergy = -1, MaxNuEnergy = -1 }));
                Assert.Empty(ClusterSelector.Select(file, new ClusterFilter { MaxNuEnergy = -0.5 }));
            }
        }

        [Fact]
        public void Empty_plane_set_does_not_filter()
        {
            using BatchFile file = BatchFile.Open(TestData.SampleFiles()[0]);
            Assert.Equal(file.Count, ClusterSelector.Select(file, new ClusterFilter { Planes = Array.Empty<Plane>() }).Count);
            Assert.Empty(ClusterSelector.Select(file, new ClusterFilter { Planes = new[] { Plane.V, Plane.X } }));
        }

        [Fact]
        public void Interaction_names_are_case_insensitive()
        {
            using BatchFile file = BatchFile.Open(TestData.SampleFiles()[2]);
            Assert.Equal(ClusterSelector.Select(file, new ClusterFilter { Interaction = "ES" }).Select(c => c.Index),
                ClusterSelector.Select(file, new ClusterFilter { Interaction = "es" }).Select(c => c.Index));
            Assert.Equal(ClusterSelector.Select(file, new ClusterFilter { Interaction = "CC" }).Select(c => c.Index),
                ClusterSelector.Select(file, new ClusterFilter { Interaction = "cc" }).Select(c => c.Index));
        }

        [Fact]
        public void Metadata_only_file_selects_by_metadata_and_has_no_images()
        {
            using BatchFile file = BatchFile.Open(TestData.GoldenFile("metadata_only.npz"));
            Assert.Null(file.Batch.ImageShape);
            IReadOnlyList<Cluster> all = ClusterSelector.Select(file, new ClusterFilter());
            Assert.Equal(5, all.Count);
            Assert.All(all, c => Assert.Null(c.Image));
            Assert.All(all, c => Assert.Null(c.ImageShape));
        }

        [Fact]
        public void Metadata_filters_never_read_a_corrupt_deflated_images_member()
        {
            using var temp = new TempDir();
            string path = CorruptImagesDeflateStream(temp, TestData.GoldenFile("savez_compressed_planeX.npz"));

            using BatchFile file = BatchFile.Open(path);
            // Only metadata is needed: every one of these must succeed although the image bytes are damaged.
            Assert.Equal(4, ClusterSelector.Select(file, new ClusterFilter()).Count);
            Assert.Equal(4, ClusterSelector.Select(file, new ClusterFilter
            {
                Planes = new[] { Plane.X },
                MinEnergy = 0,
                MaxEnergy = 1000,
            }).Count);
            var marley = ClusterSelector.Select(file, new ClusterFilter { Marley = true, Interaction = "ES" });
            Assert.All(marley, c => Assert.True(c.IsMarley));

            var stats = new ClusterStatistics();
            stats.Add(file);
            Assert.Equal(4, stats.Clusters);
        }

        [Fact]
        public void MinCharge_on_a_corrupt_deflated_images_member_is_a_format_error()
        {
            using var temp = new TempDir();
            string path = CorruptImagesDeflateStream(temp, TestData.GoldenFile("savez_compressed_planeX.npz"));
            using BatchFile file = BatchFile.Open(path);

            NpzFormatException ex = AssertFormatError(() => ClusterSelector.Select(file, new ClusterFilter { MinCharge = 0 }));
            Assert.Contains(ex.Code, new[] { NpzErrorCode.CorruptData, NpzErrorCode.InflateLimit, NpzErrorCode.SizeMismatch });
            Assert.Equal(path, ex.Path);
        }

        [Fact]
        public void Image_of_a_cluster_from_a_corrupt_deflated_images_member_is_a_format_error()
        {
            using var temp = new TempDir();
            string path = CorruptImagesDeflateStream(temp, TestData.GoldenFile("savez_compressed_planeX.npz"));
            using BatchFile file = BatchFile.Open(path);
            Cluster first = ClusterSelector.Select(file, new ClusterFilter())[0];

            NpzFormatException ex = AssertFormatError(() => first.Image);
            Assert.Equal(path, ex.Path);
        }

        /// <summary>
        /// A batch whose images member is deflated by hand: one stored deflate block with the NPY header and the
        /// first image, then a block of the reserved type 11, which every inflater rejects.
        /// </summary>
        private static string WriteInvalidDeflateBlockBatch(TempDir temp)
        {
            const int rows = 3, ticks = 8, channels = 4;
            float[] metadata = TestNpz.Seed12Rows(rows, planeId: 2);
            byte[] images = TestNpy.Array(TestNpz.EighthImages(rows, ticks, channels), new long[] { rows, ticks, channels });
            int firstBlock = 128 + ticks * channels * 4; // NPY header and the first image
            byte[] deflate = TestNpy.Concat(TestZip.StoredDeflateBlock(images.AsSpan(0, firstBlock).ToArray(), final: false), TestZip.InvalidDeflateBlock);

            string path = temp.File("clusters_planeX_batch0000.npz");
            File.WriteAllBytes(path, TestZip.Build(
                TestZip.Deflate("images.npy", deflate, images),
                TestZip.Stored("metadata.npy", TestNpy.Array(metadata, new long[] { rows, 12 }))));
            return path;
        }

        [Fact]
        public void Metadata_filters_never_read_an_images_member_with_an_invalid_deflate_block()
        {
            using var temp = new TempDir();
            string path = WriteInvalidDeflateBlockBatch(temp);
            using BatchFile file = BatchFile.Open(path);
            Assert.True(file.Batch.Compressed);
            Assert.Equal(new ImageShape(8, 4), file.Batch.ImageShape);
            Assert.Equal(3, ClusterSelector.Select(file, new ClusterFilter()).Count);
            Assert.Equal(3, ClusterSelector.Select(file, new ClusterFilter { Planes = new[] { Plane.X }, MaxEnergy = 1e9 }).Count);
        }

        [Fact]
        public void MinCharge_on_an_images_member_with_an_invalid_deflate_block_is_CorruptData()
        {
            using var temp = new TempDir();
            string path = WriteInvalidDeflateBlockBatch(temp);
            using BatchFile file = BatchFile.Open(path);

            NpzFormatException ex = AssertFormatError(() => ClusterSelector.Select(file, new ClusterFilter { MinCharge = 0 }));
            Assert.Equal(NpzErrorCode.CorruptData, ex.Code);
            Assert.Equal(path, ex.Path);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Image_from_an_images_member_with_an_invalid_deflate_block_is_CorruptData()
        {
            using var temp = new TempDir();
            string path = WriteInvalidDeflateBlockBatch(temp);
            using BatchFile file = BatchFile.Open(path);
            Cluster last = ClusterSelector.Select(file, new ClusterFilter())[2];

            NpzFormatException ex = AssertFormatError(() => last.Image);
            Assert.Equal(NpzErrorCode.CorruptData, ex.Code);
            Assert.Equal(path, ex.Path);
        }

        [Fact]
        public void Metadata_filters_on_a_stored_file_with_damaged_pixels_succeed_and_only_crc_finds_the_damage()
        {
            using var temp = new TempDir();
            string source = TestData.GoldenFile("clusters_planeX_batch0007.npz");
            string path = temp.Copy(source);
            byte[] bytes = File.ReadAllBytes(path);
            long imagesData, imagesSize;
            using (NpzArchive archive = NpzArchive.Open(source))
            {
                NpzMember images = archive.Find("images")!;
                imagesData = TestNpz.DataOffset(bytes, images);
                imagesSize = images.CompressedSize;
            }

            // Damage pixel bytes well after the NPY header (128 bytes) of the images member.
            for (long i = imagesData + 1024; i < imagesData + imagesSize; i += 997) bytes[i] ^= 0x5A;
            File.WriteAllBytes(path, bytes);

            using BatchFile file = BatchFile.Open(path);
            using BatchFile original = BatchFile.Open(source);
            Assert.Equal(original.Metadata, file.Metadata);
            Assert.Equal(
                ClusterSelector.Select(original, new ClusterFilter { Marley = false }).Select(c => c.Index),
                ClusterSelector.Select(file, new ClusterFilter { Marley = false }).Select(c => c.Index));

            using NpyArray imagesArray = file.OpenImages();
            Assert.Equal(NpzErrorCode.ChecksumMismatch, Assert.Throws<NpzFormatException>(() => imagesArray.ReadToEnd()).Code);
        }

        /// <summary>Copies a compressed golden file and overwrites bytes late in its images deflate stream (after the NPY header).</summary>
        internal static string CorruptImagesDeflateStream(TempDir temp, string source)
        {
            string path = temp.Copy(source);
            byte[] bytes = File.ReadAllBytes(path);
            using (NpzArchive archive = NpzArchive.Open(source))
            {
                NpzMember images = archive.Find("images")!;
                Assert.True(images.Deflated);
                long data = TestNpz.DataOffset(bytes, images);
                long start = data + images.CompressedSize / 2;
                for (long i = start; i < start + 16; i++) bytes[i] = 0xFF;
            }

            File.WriteAllBytes(path, bytes);
            return path;
        }

        internal static NpzFormatException AssertFormatError(Func<object?> action)
        {
            try
            {
                action();
            }
            catch (NpzFormatException ex)
            {
                return ex;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().FullName} escaped instead of NpzFormatException: {ex}");
            }

            Assert.Fail("no error was raised");
            throw new InvalidOperationException();
        }

        internal static ClusterFilter ToFilter(JsonElement settings)
        {
            var f = new ClusterFilter();
            foreach (JsonProperty p in settings.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "Marley": f.Marley = p.Value.GetBoolean(); break;
                    case "MainTrack": f.MainTrack = p.Value.GetBoolean(); break;
                    case "Interaction": f.Interaction = p.Value.GetString(); break;
                    case "Planes": f.Planes = p.Value.EnumerateArray().Select(v => Enum.Parse<Plane>(v.GetString()!)).ToList(); break;
                    case "MinEnergy": f.MinEnergy = p.Value.GetDouble(); break;
                    case "MaxEnergy": f.MaxEnergy = p.Value.GetDouble(); break;
                    case "MinNuEnergy": f.MinNuEnergy = p.Value.GetDouble(); break;
                    case "MaxNuEnergy": f.MaxNuEnergy = p.Value.GetDouble(); break;
                    case "MinCharge": f.MinCharge = p.Value.GetDouble(); break;
                    default: throw new InvalidOperationException("unknown filter setting " + p.Name);
                }
            }

            return f;
        }
    }
}
