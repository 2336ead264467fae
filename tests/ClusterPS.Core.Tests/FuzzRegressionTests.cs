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
    /// Inputs found by the AFL campaign (fuzz/README.md), kept in tests/data/fuzz-regressions with their
    /// expected outcome in cases.json: each must give exactly that code (or read, for "ok"), never another
    /// exception, in the reader and in the audit.
    /// </summary>
    public class FuzzRegressionTests
    {
        private static readonly string Folder = Path.Combine(TestData.Root, "fuzz-regressions");

        public static TheoryData<string> Cases()
        {
            var data = new TheoryData<string>();
            foreach (JsonElement c in Load()) data.Add(c.GetProperty("file").GetString()!);
            return data;
        }

        [Fact]
        public void Cases_json_covers_every_regression_file()
        {
            var listed = Load().Select(c => c.GetProperty("file").GetString()!).OrderBy(x => x, StringComparer.Ordinal);
            var present = Directory.GetFiles(Folder, "*.npz").Select(f => Path.GetFileName(f)!).OrderBy(x => x, StringComparer.Ordinal);
            Assert.Equal(present, listed);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Fuzz_input_gives_its_code_and_nothing_else(string name)
        {
            JsonElement c = Load().Single(e => e.GetProperty("file").GetString() == name);
            string code = c.GetProperty("code").GetString()!;
            string path = Path.Combine(Folder, name);

            NpzFormatException? ex = AdversarialTests.ReadEverything(path, out BatchFile? file);
            file?.Dispose();
            if (code == "ok")
            {
                Assert.True(ex == null, $"{name}: {ex?.Code} {ex?.Message}");
            }
            else
            {
                Assert.True(ex != null && ex.Code.ToString() == code, $"{name}: got {ex?.Code.ToString() ?? "no error"} ({ex?.Message}), expected {code}");
                Assert.Equal(path, ex!.Path);
                Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            }

            // The audit reports instead of throwing.
            var auditor = new DatasetAuditor(null);
            IReadOnlyList<AuditFinding> findings = auditor.AuditFile(path);
            _ = auditor.Finish().ToList();
            Assert.All(findings, f => Assert.Equal(path, f.Path));
        }

        [Fact]
        public void Nan_pixels_with_a_bad_crc_fail_a_charge_scan_over_every_row()
        {
            // Since issue 13 a scan over every row verifies the images member's CRC-32, which the
            // mutation broke; the NaN rule itself is checked on a file with a valid CRC below.
            string path = Path.Combine(Folder, "nan_pixels_bad_crc.npz");
            using BatchFile file = BatchFile.Open(path);
            var ex = Assert.Throws<NpzFormatException>(() => ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.MinValue }));
            Assert.Equal(NpzErrorCode.ChecksumMismatch, ex.Code);
        }

        [Fact]
        public void Nan_charges_are_not_selected_by_any_charge_bound()
        {
            using var temp = new TempDir();
            string path = temp.File("clusters_planeX_batch0000.npz");
            float[] images = TestNpz.EighthImages(4, 4, 3);
            images[12 + 5] = float.NaN; // cluster 1
            images[36] = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001)); // cluster 3: another NaN pattern
            TestNpz.WriteBatch(path, TestNpz.Seed12Rows(4, 2), 12, images);
            using BatchFile file = BatchFile.Open(path);
            IReadOnlyList<Cluster> all = ClusterSelector.Select(file, new ClusterFilter());
            IReadOnlyList<Cluster> charged = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.MinValue });
            Assert.Equal(file.Count, all.Count);
            Assert.Contains(all, c => double.IsNaN(c.Charge));
            Assert.All(charged, c => Assert.False(double.IsNaN(c.Charge)));
            Assert.Equal(new[] { 0, 2 }, charged.Select(c => c.Index));
        }

        private static List<JsonElement> Load()
        {
            using JsonDocument doc = TestData.ReadJson(Path.Combine(Folder, "cases.json"));
            return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }
    }
}
