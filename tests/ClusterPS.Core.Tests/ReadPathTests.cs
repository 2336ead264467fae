using System;
using System.IO.Compression;
using System.Linq;
using ClusterPS.Npz;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// The fast read path (metadata from the cached tail, headers from the cached head, statistics
    /// from pooled rows) gives what the plain path gives, in the file shapes where it cannot be used
    /// and must fall back: metadata larger than the cached tail, metadata written before the images
    /// (the images headers lie beyond the cached head), deflated members, and a corrupted byte.
    /// </summary>
    public class ReadPathTests : IDisposable
    {
        private readonly TempDir _temp = new TempDir();

        public void Dispose() => _temp.Dispose();

        public static TheoryData<int, bool, CompressionLevel> Shapes() => new TheoryData<int, bool, CompressionLevel>
        {
            { 1000, false, CompressionLevel.NoCompression },   // metadata in the tail, images headers in the head
            { 3000, false, CompressionLevel.NoCompression },   // 144 KB of metadata: more than the widest tail, 64 KiB
            { 1000, true, CompressionLevel.NoCompression },    // metadata first: images headers past the first 4 KiB
            { 3000, true, CompressionLevel.NoCompression },
            { 1000, false, CompressionLevel.Optimal },
            { 3000, true, CompressionLevel.Optimal },
            { 7, false, CompressionLevel.NoCompression },      // a file smaller than the tail
        };

        [Theory]
        [MemberData(nameof(Shapes))]
        public void Metadata_statistics_and_images_read_the_same_in_every_shape(int rows, bool metadataFirst, CompressionLevel level)
        {
            float[] md = TestNpz.Seed12Rows(rows, planeId: 1, seed: rows);
            float[] px = TestNpz.EighthImages(rows, 16, 8);
            byte[] metadata = TestNpy.Array(md, new long[] { rows, 12 });
            byte[] images = TestNpy.Array(px, new long[] { rows, 16, 8 });
            string path = _temp.File("clusters_planeV_batch0003.npz");
            if (metadataFirst) TestNpz.Write(path, level, ("metadata.npy", metadata), ("images.npy", images));
            else TestNpz.Write(path, level, ("images.npy", images), ("metadata.npy", metadata));

            BatchMetadata read = BatchFile.ReadMetadata(path);
            Assert.Equal(md, read.Rows.ToArray());
            Assert.Equal(new ImageShape(16, 8), read.Batch.ImageShape);

            // The statistics of the pooled read equal those counted cluster by cluster from the plain read.
            var fromFile = new ClusterStatistics();
            fromFile.Add(BatchFile.Tally(path));
            var byCluster = new ClusterStatistics();
            using (BatchFile file = BatchFile.Open(path))
            {
                for (int r = 0; r < rows; r++) byCluster.Add(new Cluster(file.Batch, r, md.AsSpan(r * 12, 12).ToArray()));
            }

            Assert.Equal(byCluster.ToReport(), fromFile.ToReport());
            Assert.Equal(rows, fromFile.Clusters);
            Assert.Equal(md.Where((v, i) => i % 12 == SeedColumn.IsMarley).Count(v => v == 1f), fromFile.Marley);
            Assert.Equal(md.Where((v, i) => i % 12 == SeedColumn.ParticleEnergy).Min(), fromFile.ParticleEnergyMin);
            Assert.Equal(md.Where((v, i) => i % 12 == SeedColumn.NuEnergy && v != -1f).Max(), fromFile.NuEnergyMax);

            using (BatchFile file = BatchFile.Open(path))
            using (NpyArray array = file.OpenImages())
            {
                Assert.Equal(px, array.ReadRows(rows).ToArray());
            }
        }

        [Theory]
        [InlineData(1000, false)]
        [InlineData(3000, false)]
        [InlineData(1000, true)]
        public void A_flipped_metadata_bit_fails_the_checksum_on_every_path(int rows, bool metadataFirst)
        {
            float[] md = TestNpz.Seed12Rows(rows, planeId: 0);
            byte[] metadata = TestNpy.Array(md, new long[] { rows, 12 });
            byte[] images = TestNpy.Array(TestNpz.EighthImages(rows, 4, 3), new long[] { rows, 4, 3 });
            byte[] file = metadataFirst
                ? TestNpz.Bytes(CompressionLevel.NoCompression, ("metadata.npy", metadata), ("images.npy", images))
                : TestNpz.Bytes(CompressionLevel.NoCompression, ("images.npy", images), ("metadata.npy", metadata));
            string path = _temp.File("clusters_planeU_batch0000.npz");
            System.IO.File.WriteAllBytes(path, file);
            long dataStart;
            using (NpzArchive archive = NpzArchive.Open(path)) dataStart = TestNpz.DataOffset(file, archive.Find("metadata")!);

            // A float of a free column (position X of the middle row): the file stays plausible, only its CRC-32 tells.
            int headerLength = 10 + BitConverter.ToUInt16(file, checked((int)dataStart) + 8); // an NPY 1.0 header
            int at = checked((int)dataStart) + headerLength + ((rows / 2) * 12 + SeedColumn.PositionX) * 4;
            file[at] ^= 0x04;
            System.IO.File.WriteAllBytes(path, file);

            Assert.Equal(NpzErrorCode.ChecksumMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.ReadMetadata(path)).Code);
            Assert.Equal(NpzErrorCode.ChecksumMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Tally(path)).Code);
        }

        /// <summary>
        /// The first tail read takes what the last file the thread opened needed (here set to the
        /// least, 4 KiB, as after a small file): a file with more metadata, with its end record
        /// further back (a long zip comment), or with a central directory larger than the tail, must
        /// still read whole and verified, and its zip structures must end up in the cached tail.
        /// </summary>
        [Theory]
        [InlineData(1000, 0, 0, CompressionLevel.NoCompression)]     // 48 KB of metadata: in the widest tail, not in 4 KiB
        [InlineData(1000, 0, 0, CompressionLevel.Optimal)]
        [InlineData(3000, 0, 0, CompressionLevel.Optimal)]
        [InlineData(1000, 40000, 0, CompressionLevel.NoCompression)] // the end record 40 KB before the end
        [InlineData(1000, 65535, 0, CompressionLevel.Optimal)]
        [InlineData(50, 0, 200, CompressionLevel.NoCompression)]     // a central directory of about 10 KB
        public void A_file_that_needs_more_tail_than_guessed_reads_whole(int rows, int commentLength, int extraMembers, CompressionLevel level)
        {
            float[] md = TestNpz.Seed12Rows(rows, planeId: 1, seed: rows);
            var members = new System.Collections.Generic.List<(string, byte[])>
            {
                ("images.npy", TestNpy.Array(TestNpz.EighthImages(rows, 4, 3), new long[] { rows, 4, 3 })),
                ("metadata.npy", TestNpy.Array(md, new long[] { rows, 12 })),
            };
            for (int i = 0; i < extraMembers; i++) members.Add(($"extra_member_with_a_long_name_{i:D4}.npy", TestNpy.Array(new[] { 1f }, new long[] { 1 })));
            byte[] bytes = TestNpz.WithComment(TestNpz.Bytes(level, members.ToArray()), commentLength);
            string path = _temp.File("clusters_planeV_batch0001.npz");
            System.IO.File.WriteAllBytes(path, bytes);
            int endRecord = bytes.Length - commentLength - 22;
            long directoryStart = BitConverter.ToUInt32(bytes, endRecord + 16);

            for (int round = 0; round < 2; round++)
            {
                TailCachedStream.TailGuess = 4096;
                Assert.Equal(md, BatchFile.ReadMetadata(path).Rows.ToArray());
                TailCachedStream.TailGuess = 4096;
                Assert.Equal(rows, BatchFile.Tally(path).Codes.Length);
                TailCachedStream.TailGuess = 4096;
                using NpzArchive archive = NpzArchive.Open(path);
                Assert.Equal(2 + extraMembers, archive.Members.Count);
                // The directory is cached whenever the widest tail can hold it (a 64 KiB comment leaves it outside).
                if (bytes.Length - directoryStart <= TailCachedStream.TailBytes) Assert.InRange(archive.Stream.TailStart, 0, directoryStart);
            }
        }

        /// <summary>A flipped metadata bit is found when the metadata lies partly before a smaller tail, stored or deflated.</summary>
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_damaged_file_read_with_a_smaller_tail_fails_its_checksum(bool deflated)
        {
            const int Rows = 1000;
            byte[] metadata = TestNpy.Array(TestNpz.Seed12Rows(Rows, planeId: 0), new long[] { Rows, 12 });
            byte[] damaged = (byte[])metadata.Clone();
            // A float of a free column (position X of the first row), 48 KB before the end: outside a 4 KiB tail.
            damaged[128 + SeedColumn.PositionX * 4] ^= 0x04;
            // The member declares the CRC-32 of the bytes before the flip, as a writer that computed it then would.
            TestZip.Member member = deflated
                ? TestZip.Deflate("metadata.npy", TestZip.StoredDeflateBlock(damaged, final: true), metadata)
                : new TestZip.Member("metadata.npy", damaged, false, damaged.Length, TestZip.Crc32(metadata));
            string path = _temp.File("clusters_planeU_batch0001.npz");
            System.IO.File.WriteAllBytes(path, TestZip.Build(
                TestZip.Stored("images.npy", TestNpy.Array(TestNpz.EighthImages(Rows, 4, 3), new long[] { Rows, 4, 3 })), member));

            TailCachedStream.TailGuess = 4096;
            Assert.Equal(NpzErrorCode.ChecksumMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.ReadMetadata(path)).Code);
            TailCachedStream.TailGuess = 4096;
            Assert.Equal(NpzErrorCode.ChecksumMismatch, Assert.Throws<NpzFormatException>(() => BatchFile.Tally(path)).Code);
        }
    }
}
