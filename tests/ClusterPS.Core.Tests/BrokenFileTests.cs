using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>Every file in tests/data/broken is refused with its documented error code and nothing else.</summary>
    public class BrokenFileTests
    {
        public static TheoryData<string> Cases()
        {
            var data = new TheoryData<string>();
            foreach (BrokenCase c in BrokenCase.All()) data.Add(c.File);
            return data;
        }

        [Fact]
        public void Cases_json_covers_every_broken_file()
        {
            var listed = BrokenCase.All().Select(c => c.File).ToHashSet(StringComparer.Ordinal);
            var present = Directory.GetFiles(TestData.Broken, "*.npz").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(present.OrderBy(x => x), listed.OrderBy(x => x));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Broken_file_is_refused_with_its_code_path_and_a_message_naming_the_file(string name)
        {
            BrokenCase c = BrokenCase.Get(name);
            string path = Path.Combine(TestData.Broken, name);

            NpzFormatException ex = ReadEverything(path);

            Assert.True(c.Codes.Contains(ex.Code), $"{name} ({c.What}): got {ex.Code} ({ex.Message}), expected {string.Join(" or ", c.Codes)}");
            Assert.Equal(path, ex.Path);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Equal("ClusterPS." + ex.Code, ex.ErrorId);
            Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
        }

        [Theory]
        [InlineData("deflate_bomb.npz")]
        [InlineData("bomb_declared.npz")]
        [InlineData("absurd_shape.npz")]
        [InlineData("overflow_shape.npz")]
        public void Bombs_and_absurd_shapes_are_refused_in_under_a_second_and_100_MB(string name)
        {
            string path = Path.Combine(TestData.Broken, name);
            // Warm up the code paths (JIT) on a valid file so only the refusal itself is measured.
            using (BatchFile warm = BatchFile.Open(TestData.GoldenFile("savez_compressed_planeX.npz")))
            {
                ClusterSelector.Select(warm, new ClusterFilter { MinCharge = 0 });
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            NpzFormatException ex = ReadEverything(path);
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            Assert.Contains(ex.Code, BrokenCase.Get(name).Codes);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{name} took {watch.Elapsed.TotalMilliseconds:F0} ms to refuse");
            Assert.True(allocated < 100_000_000, $"{name} allocated {allocated:N0} bytes before being refused");
        }

        [Fact]
        public void Bad_crc_file_opens_but_every_read_of_all_its_images_fails_the_crc_check()
        {
            string path = Path.Combine(TestData.Broken, "bad_crc.npz");
            using BatchFile file = BatchFile.Open(path);
            // Issue 13: a charge scan over every row reads the whole member, so it verifies the CRC-32.
            Assert.Equal(NpzErrorCode.ChecksumMismatch, Assert.Throws<NpzFormatException>(
                () => ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity })).Code);

            using NpyArray images = file.OpenImages();
            var ex = Assert.Throws<NpzFormatException>(() => images.ReadToEnd());
            Assert.Equal(NpzErrorCode.ChecksumMismatch, ex.Code);
            Assert.Contains("CRC", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Missing_file_is_Unreadable_and_names_the_path()
        {
            string path = Path.Combine(TestData.Broken, "does_not_exist.npz");
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.Unreadable, ex.Code);
            Assert.Equal(path, ex.Path);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("row_mismatch.npz")]
        [InlineData("corrupt_deflate.npz")]
        [InlineData("bad_crc.npz")]
        [InlineData("truncated_half.npz")]
        public void File_is_released_after_a_refusal(string name)
        {
            using var temp = new TempDir();
            string path = temp.Copy(Path.Combine(TestData.Broken, name));
            ReadEverything(path);
            AssertNotOpen(path);
        }

        [Fact]
        public void File_is_released_after_reading_metadata_images_and_checksums()
        {
            using var temp = new TempDir();
            string path = temp.Copy(TestData.GoldenFile("savez_compressed_planeX.npz"));
            using (BatchFile file = BatchFile.Open(path))
            {
                foreach (Cluster c in ClusterSelector.Select(file, new ClusterFilter { MinCharge = 0 })) _ = c.Image;
                using NpyArray images = file.OpenImages();
                images.ReadToEnd();
            }

            AssertNotOpen(path);
        }

        /// <summary>
        /// An exclusive open fails while any reader still holds the file (on Unix .NET takes a shared flock for
        /// FileShare.Read, which an exclusive open cannot get).
        /// </summary>
        private static void AssertNotOpen(string path)
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
            }

            File.Delete(path);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Npy_header_length_shorter_than_the_preamble_is_an_invalid_header()
        {
            // A v1.0 header whose length field is 0: the header "ends" before the 12 bytes the reader peeks at.
            using var temp = new TempDir();
            string path = temp.File("clusters_planeX_batch0000.npz");
            byte[] metadata = TestNpy.Concat(TestNpy.Magic, new byte[] { 1, 0, 0, 0 }, new byte[48]);
            TestNpz.Write(path, System.IO.Compression.CompressionLevel.NoCompression, ("metadata.npy", metadata));

            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.InvalidNpyHeader, ex.Code);
        }

        [Fact]
        public void Zip64_end_record_claiming_2_pow_40_members_is_refused_without_allocating()
        {
            // zip64_full.npz has a zip64 end-of-central-directory record; make it claim 2^40 entries.
            using var temp = new TempDir();
            byte[] bytes = File.ReadAllBytes(TestData.GoldenFile("zip64_full.npz"));
            int record = LastIndexOf(bytes, new byte[] { 0x50, 0x4b, 0x06, 0x06 });
            Assert.True(record >= 0, "zip64_full.npz has no zip64 end record");
            BitConverter.TryWriteBytes(bytes.AsSpan(record + 24), 1L << 40); // entries on this disk
            BitConverter.TryWriteBytes(bytes.AsSpan(record + 32), 1L << 40); // entries in total
            string path = temp.File("clusters_planeX_batch0000.npz");
            File.WriteAllBytes(path, bytes);

            long before = GC.GetAllocatedBytesForCurrentThread();
            NpzFormatException ex = ReadEverything(path);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(path, ex.Path);
            Assert.True(allocated < 100_000_000, $"allocated {allocated:N0} bytes");
        }

        [Fact]
        public void Zip64_end_record_claiming_2_pow_27_members_is_refused_without_allocating_a_huge_entry_table()
        {
            using var temp = new TempDir();
            byte[] bytes = File.ReadAllBytes(TestData.GoldenFile("zip64_full.npz"));
            int record = LastIndexOf(bytes, new byte[] { 0x50, 0x4b, 0x06, 0x06 });
            BitConverter.TryWriteBytes(bytes.AsSpan(record + 24), 1L << 27);
            BitConverter.TryWriteBytes(bytes.AsSpan(record + 32), 1L << 27);
            string path = temp.File("clusters_planeX_batch0000.npz");
            File.WriteAllBytes(path, bytes);

            long before = GC.GetAllocatedBytesForCurrentThread();
            NpzFormatException ex = ReadEverything(path);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(path, ex.Path);
            Assert.True(allocated < 100_000_000, $"allocated {allocated:N0} bytes for a 2^27-entry claim in a {bytes.Length:N0}-byte file");
        }

        /// <summary>
        /// Opens with layout detection, reads every image (a MinCharge filter that keeps everything, then each
        /// cluster's Image) and finally re-reads the images with CRC verification; returns the format error.
        /// Any other exception type fails the test.
        /// </summary>
        internal static NpzFormatException ReadEverything(string path)
        {
            try
            {
                using BatchFile file = BatchFile.Open(path);
                IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity });
                foreach (Cluster c in clusters) _ = c.Image;
                if (file.Batch.ImageShape != null)
                {
                    using NpyArray images = file.OpenImages();
                    images.ReadToEnd();
                }
            }
            catch (NpzFormatException ex)
            {
                return ex;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{Path.GetFileName(path)}: {ex.GetType().FullName} escaped instead of NpzFormatException: {ex}");
            }

            Assert.Fail($"{Path.GetFileName(path)} was read without any error");
            throw new InvalidOperationException(); // unreachable
        }

        private static int LastIndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = haystack.Length - needle.Length; i >= 0; i--)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
            }

            return -1;
        }

        internal sealed class BrokenCase
        {
            public string File { get; private set; } = "";
            public string What { get; private set; } = "";
            public NpzErrorCode[] Codes { get; private set; } = Array.Empty<NpzErrorCode>();

            private static readonly Lazy<List<BrokenCase>> Loaded = new Lazy<List<BrokenCase>>(Load);

            public static IReadOnlyList<BrokenCase> All() => Loaded.Value;

            public static BrokenCase Get(string file) => Loaded.Value.Single(c => c.File == file);

            private static List<BrokenCase> Load()
            {
                using JsonDocument doc = TestData.ReadJson(Path.Combine(TestData.Broken, "cases.json"));
                var cases = new List<BrokenCase>();
                foreach (JsonElement e in doc.RootElement.EnumerateArray())
                {
                    var codes = new List<NpzErrorCode> { Enum.Parse<NpzErrorCode>(e.GetProperty("code").GetString()!) };
                    if (e.TryGetProperty("alt_codes", out JsonElement alt))
                    {
                        codes.AddRange(alt.EnumerateArray().Select(a => Enum.Parse<NpzErrorCode>(a.GetString()!)));
                    }

                    cases.Add(new BrokenCase { File = e.GetProperty("file").GetString()!, What = e.GetProperty("what").GetString()!, Codes = codes.ToArray() });
                }

                return cases;
            }
        }
    }
}
