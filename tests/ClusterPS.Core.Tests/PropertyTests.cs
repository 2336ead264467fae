using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ClusterPS.Npz;
using CsCheck;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>The CPU-heavy property tests run alone, after the parallel ones, so they neither slow nor are slowed by them.</summary>
    [CollectionDefinition(nameof(PropertyTests), DisableParallelization = true)]
    public sealed class PropertyTestsCollection
    {
    }

    /// <summary>Property tests (CsCheck): random valid batches read back identically; random damage only ever gives format errors.</summary>
    [Collection(nameof(PropertyTests))]
    public class PropertyTests : IDisposable
    {
        private readonly TempDir _temp = new TempDir();

        public void Dispose() => _temp.Dispose();

        /// <summary>One randomly generated Seed12 batch file and the way it is written.</summary>
        public sealed record BatchCase(
            int Rows, int Ticks, int Channels, int PlaneId, CompressionLevel Level,
            string MetadataDescr, string ImagesDescr, bool MetadataFortran, bool ImagesFortran, int NpyMajor, bool MetadataFirst,
            float[] Metadata, float[] Images)
        {
            public override string ToString() =>
                $"rows={Rows} image={Ticks}x{Channels} plane={PlaneId} {Level} metadata={MetadataDescr}{(MetadataFortran ? " F" : "")} " +
                $"images={ImagesDescr}{(ImagesFortran ? " F" : "")} v{NpyMajor} {(MetadataFirst ? "metadata first" : "images first")}";

            public byte[] ToNpz()
            {
                byte[] metadata = TestNpy.Concat(
                    TestNpy.Header(TestNpy.Dict(MetadataDescr, MetadataFortran, Rows, 12), NpyMajor),
                    TestNpy.Data(Metadata, new long[] { Rows, 12 }, MetadataDescr, MetadataFortran));
                byte[] images = TestNpy.Concat(
                    TestNpy.Header(TestNpy.Dict(ImagesDescr, ImagesFortran, Rows, Ticks, Channels), NpyMajor),
                    TestNpy.Data(Images, new long[] { Rows, Ticks, Channels }, ImagesDescr, ImagesFortran));
                return MetadataFirst
                    ? TestNpz.Bytes(Level, ("metadata.npy", metadata), ("images.npy", images))
                    : TestNpz.Bytes(Level, ("images.npy", images), ("metadata.npy", metadata));
            }
        }

        private static readonly Gen<string> Descr = Gen.OneOfConst("<f4", ">f4", "<f8");

        private static readonly Gen<BatchCase> GenBatch =
            from rows in Gen.Int[0, 6]
            from ticks in Gen.Int[1, 6]
            from channels in Gen.Int[1, 5]
            from plane in Gen.Int[0, 2]
            from level in Gen.OneOfConst(CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize)
            from metaDescr in Descr
            from imageDescr in Descr
            from metaFortran in Gen.Bool
            from imageFortran in Gen.Bool
            from major in Gen.Int[1, 3]
            from metadataFirst in Gen.Bool
            from free in Gen.Float.Array[rows * 8]
            from flags in Gen.Int[0, 1].Array[rows * 3]
            from pixels in Gen.Int[-800, 1600].Array[rows * ticks * channels]
            select new BatchCase(rows, ticks, channels, plane, level, metaDescr, imageDescr, metaFortran, imageFortran, major, metadataFirst,
                Seed12(rows, plane, free, flags), pixels.Select(p => p % 3 == 0 ? p / 8f : 0f).ToArray());

        private static float[] Seed12(int rows, int plane, float[] free, int[] flags)
        {
            var md = new float[rows * 12];
            for (int r = 0; r < rows; r++)
            {
                md[r * 12 + 0] = flags[r * 3];
                md[r * 12 + 1] = flags[r * 3 + 1];
                for (int c = 0; c < 8; c++) md[r * 12 + 2 + c] = free[r * 8 + c];
                md[r * 12 + 10] = plane;
                md[r * 12 + 11] = flags[r * 3 + 2];
            }

            return md;
        }

        [Fact]
        public void Test_writer_NoCompression_writes_stored_members_and_other_levels_deflate()
        {
            string stored = _temp.File("stored.npz");
            string deflated = _temp.File("deflated.npz");
            byte[] member = TestNpy.Array(new float[24], new long[] { 2, 12 });
            TestNpz.Write(stored, CompressionLevel.NoCompression, ("metadata.npy", member));
            TestNpz.Write(deflated, CompressionLevel.Optimal, ("metadata.npy", member));
            using (NpzArchive a = NpzArchive.Open(stored)) Assert.False(a.Find("metadata")!.Deflated);
            using (NpzArchive a = NpzArchive.Open(deflated)) Assert.True(a.Find("metadata")!.Deflated);
        }

        [Fact]
        public void Random_batches_in_every_dtype_order_version_and_compression_read_back_identically()
        {
            GenBatch.Sample(batch =>
            {
                string path = _temp.File($"b{Guid.NewGuid():N}_plane{(Plane)batch.PlaneId}.npz");
                File.WriteAllBytes(path, batch.ToNpz());
                try
                {
                    using BatchFile file = BatchFile.Open(path);
                    Assert.Equal(batch.Rows, file.Count);
                    Assert.Equal("Seed12", file.Batch.Layout);
                    Assert.Equal(((Plane)batch.PlaneId).ToString(), file.Batch.Plane);
                    Assert.Equal(new ImageShape(batch.Ticks, batch.Channels), file.Batch.ImageShape);
                    Assert.Equal(batch.Level != CompressionLevel.NoCompression, file.Batch.Compressed);
                    for (int i = 0; i < batch.Metadata.Length; i++) AssertSameFloat(batch.Metadata[i], file.Metadata[i], $"metadata[{i}]");

                    IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter());
                    IReadOnlyList<Cluster> charged = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity });
                    Assert.Equal(batch.Rows, clusters.Count);
                    Assert.Equal(batch.Rows, charged.Count);
                    int pixels = batch.Ticks * batch.Channels;
                    for (int n = 0; n < batch.Rows; n++)
                    {
                        float[,] image = clusters[n].Image!;
                        double sum = 0;
                        for (int t = 0; t < batch.Ticks; t++)
                        {
                            for (int c = 0; c < batch.Channels; c++)
                            {
                                float expected = batch.Images[n * pixels + t * batch.Channels + c];
                                AssertSameFloat(expected, image[t, c], $"cluster {n} pixel [{t},{c}]");
                                sum += expected;
                            }
                        }

                        Assert.Equal(sum, clusters[n].Charge);
                        Assert.Equal(sum, charged[n].Charge);
                        Assert.Equal(batch.Metadata.AsSpan(n * 12, 12).ToArray().Select(BitsOf), clusters[n].Metadata.Select(BitsOf));
                    }
                }
                finally
                {
                    File.Delete(path);
                }
            }, iter: 300, seed: null, threads: 1);
        }

        /// <summary>One way of damaging a file.</summary>
        public enum MutationKind { FlipBit, SetByte, Insert, Delete, Truncate, Zero32 }

        public sealed record Mutation(MutationKind Kind, int Position, int Value, int Length);

        private static readonly Gen<Mutation> GenMutation =
            from kind in Gen.Enum<MutationKind>()
            from position in Gen.Int[0, int.MaxValue]
            from value in Gen.Int[0, 255]
            from length in Gen.Int[1, 64]
            select new Mutation(kind, position, value, length);

        private static byte[] Apply(byte[] original, Mutation[] mutations)
        {
            var bytes = new List<byte>(original);
            foreach (Mutation m in mutations)
            {
                if (bytes.Count == 0) break;
                int at = m.Position % bytes.Count;
                switch (m.Kind)
                {
                    case MutationKind.FlipBit:
                        bytes[at] ^= (byte)(1 << (m.Value % 8));
                        break;
                    case MutationKind.SetByte:
                        bytes[at] = (byte)m.Value;
                        break;
                    case MutationKind.Insert:
                        bytes.InsertRange(at, Enumerable.Repeat((byte)m.Value, m.Length));
                        break;
                    case MutationKind.Delete:
                        bytes.RemoveRange(at, Math.Min(m.Length, bytes.Count - at));
                        break;
                    case MutationKind.Truncate:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case MutationKind.Zero32:
                        // Overwrite a 4-byte field with 0 or 0xFFFFFFFF: sizes, offsets, counts.
                        for (int i = at; i < Math.Min(at + 4, bytes.Count); i++) bytes[i] = m.Value % 2 == 0 ? (byte)0 : (byte)0xFF;
                        break;
                }
            }

            return bytes.ToArray();
        }

        /// <summary>Small valid batches (about 1.5 KB): stored, and deflated with either member first.</summary>
        private static byte[][] SmallSeeds()
        {
            int rows = 3, ticks = 8, channels = 4;
            float[] md = TestNpz.Seed12Rows(rows, 2);
            float[] images = TestNpz.EighthImages(rows, ticks, channels);
            (string, byte[]) Images() => ("images.npy", TestNpy.Array(images, new long[] { rows, ticks, channels }));
            (string, byte[]) Meta() => ("metadata.npy", TestNpy.Array(md, new long[] { rows, 12 }));
            return new[]
            {
                TestNpz.Bytes(CompressionLevel.NoCompression, Images(), Meta()),
                TestNpz.Bytes(CompressionLevel.Optimal, Images(), Meta()),
                TestNpz.Bytes(CompressionLevel.Fastest, Meta(), Images()),
            };
        }

        /// <summary>The golden zip64 and data-descriptor variants (about 25 KB each).</summary>
        private static byte[][] Zip64Seeds() => new[]
        {
            File.ReadAllBytes(TestData.GoldenFile("zip64_full.npz")),
            File.ReadAllBytes(TestData.GoldenFile("zip64_local_ffff.npz")),
            File.ReadAllBytes(TestData.GoldenFile("data_descriptor_deflate_zip64.npz")),
        };

        private void AssertOnlyFormatErrors(byte[][] seeds, Gen<Mutation> mutation, int iterations)
        {
            Gen<(int Seed, Mutation[] Mutations)> gen = Gen.Select(Gen.Int[0, seeds.Length - 1], mutation.Array[1, 4]);
            gen.Sample(input =>
            {
                byte[] bytes = Apply(seeds[input.Seed], input.Mutations);
                string path = _temp.File($"b{Guid.NewGuid():N}_planeX.npz");
                File.WriteAllBytes(path, bytes);
                try
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    ReadEverythingAllowingFormatErrors(path);
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    Assert.True(allocated < 64_000_000, $"a {bytes.Length:N0}-byte input allocated {allocated:N0} bytes");
                }
                finally
                {
                    File.Delete(path);
                }
            }, iter: iterations, seed: null, threads: 1, print: input => $"seed file {input.Seed}, mutations: {string.Join("; ", input.Mutations.Select(m => m.ToString()))}");
        }

        [Fact]
        public void Thousands_of_random_mutations_of_small_batches_only_ever_raise_NpzFormatException()
        {
            AssertOnlyFormatErrors(SmallSeeds(), GenMutation, iterations: 2000);
        }

        [Fact]
        public void Random_overwrites_in_zip64_and_data_descriptor_files_only_ever_raise_NpzFormatException()
        {
            // Overwrites only: cutting these 25 KB files makes the zip reader scan backwards for the end
            // record byte by byte, which is slow enough to make a few thousand inputs take many seconds.
            Gen<Mutation> overwrite = GenMutation.Where(m => m.Kind == MutationKind.FlipBit || m.Kind == MutationKind.SetByte || m.Kind == MutationKind.Zero32);
            AssertOnlyFormatErrors(Zip64Seeds(), overwrite, iterations: 600);
        }

        private static readonly Gen<string> HeaderText =
            Gen.OneOfConst("{", "}", "(", ")", "[", "]", "'", "\"", ",", ":", " ", "\t", "\n", "\\", "-", "L",
                "'descr'", "'fortran_order'", "'shape'", "'<f4'", "'|O'", "True", "False", "None",
                "0", "3", "12", "9223372036854775807", "99999999999999999999", "-1")
            .Array[0, 40].Select(parts => string.Concat(parts));

        [Fact]
        public void Random_header_text_only_raises_NpzFormatException()
        {
            Gen.Select(HeaderText, Gen.Int[1, 3]).Sample(input =>
            {
                byte[] header = TestNpy.Header(input.Item1, input.Item2);
                try
                {
                    NpyHeader h = NpyHeader.Parse(header, "random.npz", "metadata.npy");
                    Assert.True(h.DataLength >= 0);
                }
                catch (NpzFormatException ex)
                {
                    Assert.Equal("random.npz", ex.Path);
                }
            }, iter: 3000, seed: null, threads: 1);
        }

        /// <summary>Everything a reader can do with a file; returns normally or with a format error, never anything else.</summary>
        internal static void ReadEverythingAllowingFormatErrors(string path)
        {
            try
            {
                using BatchFile file = BatchFile.Open(path);
                IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity });
                foreach (Cluster c in clusters) _ = c.Image;
                var stats = new ClusterStatistics();
                stats.Add(file);
                _ = stats.ToReport();
                if (file.Batch.ImageShape != null)
                {
                    using NpyArray images = file.OpenImages();
                    images.ReadToEnd();
                }
            }
            catch (NpzFormatException ex)
            {
                Assert.Equal(path, ex.Path);
            }
        }

        private static int BitsOf(float f) => float.IsNaN(f) ? int.MinValue : BitConverter.SingleToInt32Bits(f);

        private static void AssertSameFloat(float expected, float actual, string what)
        {
            if (BitsOf(expected) != BitsOf(actual))
            {
                Assert.Fail($"{what}: expected {expected:R} (0x{BitConverter.SingleToInt32Bits(expected):x8}), got {actual:R} (0x{BitConverter.SingleToInt32Bits(actual):x8})");
            }
        }
    }
}
