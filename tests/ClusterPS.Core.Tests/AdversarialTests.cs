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
    /// <summary>
    /// tests/data/adversarial (made by make_adversarial.py): every hostile file gives exactly its documented
    /// error code, or reads to the right values; paths that are not files, bombs and absurd claims are refused
    /// quickly, without allocating, and only ever with <see cref="NpzFormatException"/>.
    /// </summary>
    public class AdversarialTests
    {
        private static readonly string Folder = Path.Combine(TestData.Root, "adversarial");

        public static TheoryData<string> Cases()
        {
            var data = new TheoryData<string>();
            foreach (AdversarialCase c in AdversarialCase.All()) data.Add(c.File);
            return data;
        }

        [Fact]
        public void Cases_json_covers_every_adversarial_file()
        {
            var listed = AdversarialCase.All().Select(c => c.File).ToList();
            var present = Directory.GetFiles(Folder, "*.npz").Select(f => Path.GetFileName(f)!).OrderBy(x => x, StringComparer.Ordinal);
            Assert.Equal(listed.Count, listed.Distinct().Count());
            Assert.Equal(present, listed.OrderBy(x => x, StringComparer.Ordinal));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Adversarial_file_gives_its_exact_code_or_reads_right(string name)
        {
            AdversarialCase c = AdversarialCase.Get(name);
            string path = Path.Combine(Folder, name);

            NpzFormatException? ex = ReadEverything(path, out BatchFile? read);
            using (read)
            {
                if (c.Code == "ok")
                {
                    Assert.True(ex == null, $"{name} ({c.What}) must read, but: {ex?.Code} {ex?.Message}");
                    CheckValues(c, read!);
                    return;
                }

                Assert.True(ex != null, $"{name} ({c.What}) was read without any error; expected {c.Code}");
                Assert.True(ex!.Code.ToString() == c.Code, $"{name} ({c.What}): got {ex.Code} ({ex.Message}), expected {c.Code}");
                Assert.Equal(path, ex.Path);
                Assert.Contains(path, ex.Message, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Audit_of_an_adversarial_file_reports_instead_of_throwing(string name)
        {
            AdversarialCase c = AdversarialCase.Get(name);
            string path = Path.Combine(Folder, name);
            var auditor = new DatasetAuditor(null);

            IReadOnlyList<AuditFinding> findings = auditor.AuditFile(path);
            _ = auditor.Finish().ToList();

            if (c.Code == "ok")
            {
                Assert.DoesNotContain(findings, f => f.Rule == "UnreadableFile" || f.Rule == "CrcMismatch");
            }
            else if (c.Code != "LayoutMismatch")
            {
                AuditFinding error = Assert.Single(findings, f => f.Severity == DatasetAuditor.Error
                    && (f.Rule == "UnreadableFile" || f.Rule == "CrcMismatch" || f.Rule == "ShapeMismatch" || f.Rule == "RowCountMismatch"));
                Assert.Equal(path, error.Path);
                Assert.Contains(name, error.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void A_directory_given_as_a_file_is_Unreadable()
        {
            using var temp = new TempDir();
            string path = temp.File("clusters_planeX_batch0000.npz");
            Directory.CreateDirectory(path);

            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.Unreadable, ex.Code);
            Assert.Equal(path, ex.Path);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.IsNotType<NpzFormatException>(ex.InnerException); // the cause is kept

            AuditFinding finding = Assert.Single(new DatasetAuditor(null).AuditFile(path));
            Assert.Equal("UnreadableFile", finding.Rule);
        }

        [Fact]
        public void A_symlink_loop_is_Unreadable_not_an_IOException()
        {
            if (OperatingSystem.IsWindows()) return; // symlinks need privileges there
            using var temp = new TempDir();
            string a = temp.File("a.npz"), b = temp.File("b.npz");
            File.CreateSymbolicLink(a, b);
            File.CreateSymbolicLink(b, a);

            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(a));
            Assert.Equal(NpzErrorCode.Unreadable, ex.Code);
            Assert.Equal(a, ex.Path);
            Assert.Contains(a, ex.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<IOException>(ex.InnerException);

            AuditFinding finding = Assert.Single(new DatasetAuditor(null).AuditFile(a));
            Assert.Equal("UnreadableFile", finding.Rule);
        }

        [Fact]
        public void A_dangling_symlink_is_Unreadable()
        {
            if (OperatingSystem.IsWindows()) return;
            using var temp = new TempDir();
            string link = temp.File("clusters_planeU_batch0000.npz");
            File.CreateSymbolicLink(link, temp.File("gone.npz"));

            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(link));
            Assert.Equal(NpzErrorCode.Unreadable, ex.Code);
        }

        [Fact]
        public void A_file_replaced_by_a_smaller_one_before_its_images_load_gives_a_format_error()
        {
            using var temp = new TempDir();
            string path = temp.Copy(Path.Combine(Folder, "deflate_00_valid_64.npz"), "batch.npz");
            IReadOnlyList<Cluster> clusters;
            using (BatchFile file = BatchFile.Open(path))
            {
                clusters = ClusterSelector.Select(file, new ClusterFilter());
            }

            Assert.Equal(64, clusters.Count);
            File.Copy(Path.Combine(Folder, "deflate_00_valid.npz"), path, overwrite: true); // now 2 clusters, same image shape

            var ex = Assert.Throws<NpzFormatException>(() => clusters[63].Image);
            Assert.Equal(NpzErrorCode.FileChanged, ex.Code); // issue 13: the stamp check comes before the shape check
            Assert.Equal(path, ex.Path);
        }

        /// <summary>Refusals that must cost under a second and under 100 MB, whatever the file claims.</summary>
        [Theory]
        [InlineData("huge_metadata_2pow40_clusters.npz")]
        [InlineData("huge_metadata_2pow40_zip_agrees.npz")]
        [InlineData("huge_metadata_2pow40_deflate.npz")]
        [InlineData("hdr_images_2pow40_clusters.npz")]
        [InlineData("huge_zip64_count_2pow40.npz")]
        [InlineData("huge_zip64_count_2pow27.npz")]
        [InlineData("huge_zip64_count_2pow64_minus1.npz")]
        [InlineData("hdr_dim_zero_rows_huge_cols.npz")]
        [InlineData("hdr_dim_zero_rows_2pow28_cols.npz")]
        [InlineData("hdr_images_pixels_2pow25_u1.npz")]
        [InlineData("hdr_images_pixels_2pow32.npz")]
        [InlineData("deflate_bomb_1gib.npz")]
        [InlineData("deflate_ratio_impossible.npz")]
        public void Absurd_claims_and_bombs_are_refused_in_under_a_second_and_100_MB(string name)
        {
            AdversarialCase c = AdversarialCase.Get(name);
            string path = Path.Combine(Folder, name);
            // JIT the whole read path on valid files first (stored and deflate), so only the refusal is measured.
            foreach (string warm in new[] { "trunc_stored_00_whole.npz", "deflate_00_valid.npz" })
            {
                Assert.Null(ReadEverything(Path.Combine(Folder, warm), out BatchFile? file));
                file!.Dispose();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            NpzFormatException? ex = ReadEverything(path, out BatchFile? read);
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            read?.Dispose();

            Assert.NotNull(ex);
            Assert.Equal(c.Code, ex!.Code.ToString());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{name} took {watch.Elapsed.TotalMilliseconds:F0} ms to refuse");
            Assert.True(allocated < 100_000_000, $"{name} allocated {allocated:N0} bytes before being refused");
        }

        [Fact]
        public void Audit_refuses_the_deflate_bomb_quickly_too()
        {
            string path = Path.Combine(Folder, "deflate_bomb_1gib.npz");
            new DatasetAuditor(null).AuditFile(Path.Combine(Folder, "deflate_00_valid.npz")); // JIT

            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            IReadOnlyList<AuditFinding> findings = new DatasetAuditor(null).AuditFile(path);
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            AuditFinding finding = Assert.Single(findings, f => f.Severity == DatasetAuditor.Error);
            Assert.Equal("UnreadableFile", finding.Rule);
            Assert.Contains("inflates past", finding.Message, StringComparison.Ordinal);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(allocated < 100_000_000, $"allocated {allocated:N0} bytes");
        }

        /// <summary>
        /// Opens with layout detection, selects with a charge bound that reads every image row, loads each
        /// cluster's image, then re-reads the images verifying the CRC-32. Returns the first format error, or
        /// null with the open file; any other exception type fails the test.
        /// </summary>
        internal static NpzFormatException? ReadEverything(string path, out BatchFile? opened)
        {
            opened = null;
            BatchFile? file = null;
            try
            {
                file = BatchFile.Open(path);
                IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity });
                foreach (Cluster c in clusters) _ = c.Image;
                if (file.Batch.ImageShape != null)
                {
                    using NpyArray images = file.OpenImages();
                    images.ReadToEnd();
                }

                opened = file;
                return null;
            }
            catch (NpzFormatException ex)
            {
                file?.Dispose();
                return ex;
            }
            catch (Exception ex)
            {
                file?.Dispose();
                Assert.Fail($"{Path.GetFileName(path)}: {ex.GetType().FullName} escaped instead of NpzFormatException: {ex}");
                throw; // unreachable
            }
        }

        private static void CheckValues(AdversarialCase c, BatchFile file)
        {
            JsonElement expect = c.Expect!.Value;
            int count = expect.GetProperty("count").GetInt32();
            Assert.Equal(count, file.Count);
            JsonElement[] rows = expect.GetProperty("metadata").EnumerateArray().ToArray();
            Assert.Equal(count, rows.Length);
            for (int r = 0; r < count; r++)
            {
                float[] want = rows[r].EnumerateArray().Select(TestData.F32).ToArray();
                Assert.Equal(want.Length, file.Columns);
                for (int k = 0; k < want.Length; k++)
                {
                    float got = file.Metadata[r * file.Columns + k];
                    Assert.True(want[k].Equals(got), $"{c.File}: metadata[{r},{k}] is {got:R}, expected {want[k]:R}");
                }
            }

            JsonElement shape = expect.GetProperty("image_shape");
            if (shape.ValueKind == JsonValueKind.Null)
            {
                Assert.Null(file.Batch.ImageShape);
                return;
            }

            Assert.Equal(new ImageShape(shape[0].GetInt32(), shape[1].GetInt32()), file.Batch.ImageShape);
            double[] charges = expect.GetProperty("charge").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.NegativeInfinity });
            Assert.Equal(count, clusters.Count);
            for (int k = 0; k < count; k++)
            {
                Assert.True(charges[k].Equals(clusters[k].Charge), $"{c.File}: cluster {k} charge {clusters[k].Charge:R}, expected {charges[k]:R}");
                // The lazily loaded image agrees with the charge summed from the read buffer.
                float[,] image = clusters[k].Image!;
                double sum = 0;
                foreach (float v in image) sum += v;
                Assert.Equal(charges[k], sum);
            }
        }

        internal sealed class AdversarialCase
        {
            private static readonly Lazy<List<AdversarialCase>> Loaded = new Lazy<List<AdversarialCase>>(Load);

            public string File { get; private set; } = "";
            public string Code { get; private set; } = "";
            public string What { get; private set; } = "";
            public JsonElement? Expect { get; private set; }

            public static IReadOnlyList<AdversarialCase> All() => Loaded.Value;

            public static AdversarialCase Get(string file) => Loaded.Value.Single(c => c.File == file);

            private static List<AdversarialCase> Load()
            {
                using JsonDocument doc = TestData.ReadJson(Path.Combine(Folder, "cases.json"));
                var list = new List<AdversarialCase>();
                foreach (JsonElement e in doc.RootElement.EnumerateArray())
                {
                    string code = e.GetProperty("code").GetString()!;
                    Assert.True(code == "ok" || Enum.TryParse(code, out NpzErrorCode _), $"unknown code '{code}' in cases.json");
                    list.Add(new AdversarialCase
                    {
                        File = e.GetProperty("file").GetString()!,
                        Code = code,
                        What = e.GetProperty("what").GetString()!,
                        Expect = e.TryGetProperty("expect", out JsonElement x) ? x.Clone() : (JsonElement?)null,
                    });
                }

                return list;
            }
        }
    }
}
