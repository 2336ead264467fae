using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// Issue 13: verify what NumPy verifies (CRC-32 of the metadata on every read, of the images on
    /// every read of the whole member), never hand out another file's pixels (the batch's stamp),
    /// refuse non-regular files without opening them, name refused compression methods.
    /// Files from tests/data/make_integrity.py.
    /// </summary>
    public class IntegrityTests
    {
        private static readonly string Folder = Path.Combine(TestData.Root, "integrity");
        private static readonly string Valid = Path.Combine(Folder, "clusters_planeX_batch0000.npz");
        private static readonly ClusterFilter EveryCharge = new ClusterFilter { MinCharge = double.NegativeInfinity };

        [Theory]
        [InlineData("meta_bitflip_stored.npz")]
        [InlineData("meta_bitflip_deflate.npz")]
        public void A_flipped_bit_in_the_metadata_fails_every_open(string name)
        {
            string path = Path.Combine(Folder, name);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.ChecksumMismatch, ex.Code);
            Assert.Equal(path, ex.Path);
            Assert.Contains("'metadata.npy' fails its CRC-32 check", ex.Message, StringComparison.Ordinal);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("images_bitflip_stored.npz")]
        [InlineData("images_bitflip_deflate.npz")]
        public void A_flipped_bit_in_the_images_fails_every_read_of_the_whole_member(string name)
        {
            string path = Path.Combine(Folder, name);
            using BatchFile file = BatchFile.Open(path); // metadata is intact

            AssertChecksumMismatch(path, () => ClusterSelector.Select(file, EveryCharge));
            IReadOnlyList<Cluster> all = ClusterSelector.Select(file, new ClusterFilter());
            AssertChecksumMismatch(path, () => all[0].Image);
            AssertChecksumMismatch(path, () => all[5].Charge); // the same source: the failure is kept, not re-read as success

            var auditor = new DatasetAuditor(null);
            AuditFinding finding = Assert.Single(auditor.AuditFile(path), f => f.Rule == "CrcMismatch");
            Assert.Equal(DatasetAuditor.Error, finding.Severity);
        }

        [Fact]
        public void Some_rows_of_a_stored_file_with_a_flipped_image_bit_still_read()
        {
            string path = Path.Combine(Folder, "images_bitflip_stored.npz");
            using BatchFile file = BatchFile.Open(path);
            using BatchFile valid = BatchFile.Open(Valid);
            // The flipped bit is in the last cluster. A metadata filter that keeps cluster 0 and not all of them:
            var some = new ClusterFilter { Marley = file.Metadata[0] == 1f, MinCharge = double.NegativeInfinity };
            IReadOnlyList<Cluster> selected = ClusterSelector.Select(file, some);
            Assert.InRange(selected.Count, 1, file.Count - 1);
            IReadOnlyList<Cluster> expected = ClusterSelector.Select(valid, some);
            Assert.Equal(expected.Select(c => c.Index), selected.Select(c => c.Index));
            Assert.Equal(expected[0].Image, selected[0].Image);
        }

        [Theory]
        [InlineData("clusters_planeX_batch0000.npz")]
        [InlineData("compressed_planeX.npz")]
        public void Intact_files_pass_every_full_read(string name)
        {
            string path = Path.Combine(Folder, name);
            using BatchFile file = BatchFile.Open(path);
            Assert.Equal(6, ClusterSelector.Select(file, EveryCharge).Count);
            IReadOnlyList<Cluster> all = ClusterSelector.Select(file, new ClusterFilter());
            Assert.All(all, c => Assert.True(c.Charge > 0));
            Assert.DoesNotContain(new DatasetAuditor(null).AuditFile(path), f => f.Severity == DatasetAuditor.Error);
        }

        [Fact]
        public void The_batch_carries_the_files_stamp()
        {
            using BatchFile file = BatchFile.Open(Valid);
            BatchFileStamp stamp = file.Batch.Stamp;
            Assert.Equal(new FileInfo(Valid).Length, stamp.Length);
            Assert.Equal(File.GetLastWriteTimeUtc(Valid), stamp.LastWriteTimeUtc);
            using NpzArchive archive = NpzArchive.Open(Valid);
            NpzMember images = archive.Find("images")!;
            Assert.Equal(images.LocalHeaderOffset, stamp.ImagesOffset);
            Assert.Equal(images.Size, stamp.ImagesSize);
            Assert.Equal(images.CompressedSize, stamp.ImagesCompressedSize);
            Assert.Equal(images.Crc, stamp.ImagesCrc);
            Assert.Equal(stamp, BatchFileStamp.Of(archive));

            // As a rehydrated batch would rebuild it: the public constructor, a local time.
            var copy = new BatchFileStamp(stamp.Length, stamp.LastWriteTimeUtc.ToLocalTime(), stamp.ImagesOffset, stamp.ImagesCompressedSize, stamp.ImagesSize, stamp.ImagesCrc);
            Assert.Equal(stamp, copy);
            copy.Check(archive);
        }

        [Fact]
        public void Images_of_an_unchanged_file_load()
        {
            using var temp = new TempDir();
            string path = temp.Copy(Valid);
            IReadOnlyList<Cluster> clusters = SelectAll(path);
            using BatchFile original = BatchFile.Open(Valid);
            Assert.Equal(ClusterSelector.Select(original, new ClusterFilter())[3].Image, clusters[3].Image);
        }

        [Fact]
        public void A_file_replaced_by_one_of_another_length_is_FileChanged()
        {
            using var temp = new TempDir();
            string path = temp.Copy(Valid);
            IReadOnlyList<Cluster> clusters = SelectAll(path);
            File.Copy(Path.Combine(Folder, "compressed_planeX.npz"), path, overwrite: true); // same arrays, compressed: same pixels even
            AssertFileChanged(path, () => clusters[2].Image, "bytes long");
        }

        [Fact]
        public void A_file_replaced_by_one_of_the_same_length_and_time_is_FileChanged_by_its_layout()
        {
            using var temp = new TempDir();
            string path = temp.Copy(Valid);
            DateTime written = File.GetLastWriteTimeUtc(path);
            IReadOnlyList<Cluster> clusters = SelectAll(path);
            File.Copy(Path.Combine(Folder, "other_same_length.npz"), path, overwrite: true);
            File.SetLastWriteTimeUtc(path, written);
            Assert.Equal(new FileInfo(Valid).Length, new FileInfo(path).Length);
            AssertFileChanged(path, () => clusters[0].Charge, "images member");
        }

        [Fact]
        public void A_file_whose_time_was_touched_is_FileChanged()
        {
            using var temp = new TempDir();
            string path = temp.Copy(Valid);
            IReadOnlyList<Cluster> clusters = SelectAll(path);
            File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));
            AssertFileChanged(path, () => clusters[0].Image, "last written");
        }

        [Fact]
        public void A_device_given_as_a_batch_file_is_refused()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempDir();
            string link = temp.File("clusters_planeU_batch0000.npz");
            File.CreateSymbolicLink(link, "/dev/null");
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(link));
            Assert.Equal(NpzErrorCode.NotARegularFile, ex.Code);
            Assert.Contains("character device", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_fifo_is_refused_at_once_without_being_opened()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempDir();
            string fifo = temp.File("clusters_planeU_batch0000.npz");
            using (Process mkfifo = Process.Start("mkfifo", fifo)!) mkfifo.WaitForExit();
            NpzFormatException ex = await Promptly(() => BatchFile.Open(fifo));
            Assert.Equal(NpzErrorCode.NotARegularFile, ex.Code);
            Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_batch_replaced_by_a_fifo_before_its_images_load_is_refused_at_once()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempDir();
            string path = temp.Copy(Valid);
            IReadOnlyList<Cluster> clusters = SelectAll(path);
            File.Delete(path);
            using (Process mkfifo = Process.Start("mkfifo", path)!) mkfifo.WaitForExit();
            Assert.Equal(NpzErrorCode.NotARegularFile, (await Promptly(() => clusters[0].Image)).Code);
        }

        [Theory]
        [InlineData(9, "Deflate64")]
        [InlineData(12, "bzip2")]
        [InlineData(14, "LZMA")]
        [InlineData(98, "PPMd")]
        [InlineData(93, "Zstandard")]
        public void Refused_compression_methods_are_named(int method, string name)
        {
            using var temp = new TempDir();
            byte[] zip = TestZip.Build(TestZip.Stored("metadata.npy", TestNpy.Array(TestNpz.Seed12Rows(1, 2), new long[] { 1, 12 })));
            // The method field: local header +8, central directory entry +10.
            zip[8] = (byte)method;
            int central = IndexOf(zip, new byte[] { 0x50, 0x4b, 0x01, 0x02 });
            zip[central + 10] = (byte)method;
            string path = temp.File("clusters_planeX_batch0000.npz");
            File.WriteAllBytes(path, zip);
            var ex = Assert.Throws<NpzFormatException>(() => BatchFile.Open(path));
            Assert.Equal(NpzErrorCode.CorruptZip, ex.Code);
            Assert.Contains($"compression method {method} ({name})", ex.Message, StringComparison.Ordinal);
        }

        /// <summary>The format error <paramref name="read"/> throws, within 10 seconds (a FIFO opened for reading would block).</summary>
        private static async Task<NpzFormatException> Promptly(Func<object?> read)
        {
            Task<NpzFormatException> task = Task.Run(() => Assert.Throws<NpzFormatException>(read));
            Assert.Same(task, await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))));
            return await task;
        }

        private static IReadOnlyList<Cluster> SelectAll(string path)
        {
            using BatchFile file = BatchFile.Open(path);
            return ClusterSelector.Select(file, new ClusterFilter());
        }

        private static void AssertChecksumMismatch(string path, Func<object?> read)
        {
            var ex = Assert.Throws<NpzFormatException>(read);
            Assert.Equal(NpzErrorCode.ChecksumMismatch, ex.Code);
            Assert.Equal(path, ex.Path);
            Assert.Contains("'images.npy' fails its CRC-32 check", ex.Message, StringComparison.Ordinal);
        }

        private static void AssertFileChanged(string path, Func<object?> read, string what)
        {
            var ex = Assert.Throws<NpzFormatException>(read);
            Assert.Equal(NpzErrorCode.FileChanged, ex.Code);
            Assert.Equal("ClusterPS.FileChanged", ex.ErrorId);
            Assert.Contains($"'{path}'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("changed since it was read", ex.Message, StringComparison.Ordinal);
            Assert.Contains(what, ex.Message, StringComparison.Ordinal);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
            }

            return -1;
        }
    }
}
