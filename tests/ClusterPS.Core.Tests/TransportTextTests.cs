using System;
using System.Globalization;
using System.Linq;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// The text forms in which batches, their stamps, statistics tallies and layouts cross into jobs,
    /// remote sessions and CliXml (module/ClusterPS.Types.ps1xml): each reads back to what it was,
    /// whatever the culture of the writing or reading process and whatever the file is called.
    /// </summary>
    public class TransportTextTests
    {
        private static ClusterBatch SampleBatch(int index = 2)
        {
            using BatchFile file = BatchFile.Open(TestData.SampleFiles()[index]);
            return file.Batch;
        }

        private static void AssertSameBatch(ClusterBatch expected, ClusterBatch actual)
        {
            Assert.Equal(expected.Path, actual.Path);
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.Plane, actual.Plane);
            Assert.Equal(expected.BatchNumber, actual.BatchNumber);
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.ImageShape, actual.ImageShape);
            Assert.Equal(expected.Layout, actual.Layout);
            Assert.Equal(expected.Length, actual.Length);
            Assert.Equal(expected.Compressed, actual.Compressed);
            Assert.Equal(expected.Stamp, actual.Stamp);
        }

        [Fact]
        public void A_batch_reads_back_from_its_text()
        {
            ClusterBatch batch = SampleBatch();
            AssertSameBatch(batch, ClusterBatch.Parse(batch.Serialize(), batch.Path));
        }

        [Fact]
        public void A_batch_text_holds_no_path_and_nothing_CliXml_escapes()
        {
            ClusterBatch batch = SampleBatch();
            string text = batch.Serialize();
            Assert.DoesNotContain(batch.Name, text);
            Assert.DoesNotContain(text, c => c < ' ' || c > '~');
            Assert.Same(text, batch.Serialize());
        }

        [Theory]
        [InlineData("clusters_planeU_batch0000\u001Fx.npz")]
        [InlineData("a|b,c=d:e;f\tg.npz")]
        public void A_batch_whose_name_holds_separators_reads_back(string name)
        {
            ClusterBatch sample = SampleBatch();
            var odd = new ClusterBatch("/data/odd/" + name, name, sample.WirePlane, sample.BatchNumber, sample.Count, sample.ImageShape,
                sample.ColumnLayout, sample.Length, sample.Compressed, sample.Stamp);
            AssertSameBatch(odd, ClusterBatch.Parse(odd.Serialize(), odd.Path));
        }

        [Fact]
        public void A_batch_text_of_ClusterPS_0_2_1_reads_back_with_the_path_it_holds()
        {
            const string former = "X\u001F1\u001F150\u001F128x16\u001FSeed12\u001F19037\u001F1\u001F19037|639317127580382737|0|13860|1228928|4201378240\u001F/data/a;b/clusters_planeX_batch0001.npz";
            ClusterBatch batch = ClusterBatch.Parse(former, "/ignored.npz");
            Assert.Equal("/data/a;b/clusters_planeX_batch0001.npz", batch.Path);
            Assert.Equal("clusters_planeX_batch0001.npz", batch.Name);
            Assert.Equal(("X", 1, 150, "Seed12", 19037L, true), (batch.Plane, batch.BatchNumber.GetValueOrDefault(), batch.Count, batch.Layout, batch.Length, batch.Compressed));
            Assert.Equal("128x16", batch.ImageShape?.ToString());
            Assert.Equal(new BatchFileStamp(19037, new DateTime(639317127580382737, DateTimeKind.Utc), 0, 13860, 1228928, 4201378240), batch.Stamp);
        }

        [Theory]
        [InlineData("")]
        [InlineData("X;1;150")]
        [InlineData("X;1;150;128x16;Seed12;19037;1;19037|1|0|1|1|1;extra")]
        public void Text_that_is_not_a_batch_is_a_format_error(string text) =>
            Assert.Throws<FormatException>(() => ClusterBatch.Parse(text, "/data/a.npz"));

        [Theory]
        [InlineData("sv-SE")] // writes -1 with U+2212
        [InlineData("fa-IR")]
        [InlineData("de-DE")]
        public void A_stamp_written_in_one_culture_reads_back_in_another(string culture)
        {
            var stamp = new BatchFileStamp(510, new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc), -1, 0, 0, 0);
            CultureInfo saved = CultureInfo.CurrentCulture;
            string text;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo(culture);
                text = stamp.Serialize();
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }

            Assert.DoesNotContain('\u2212', text);
            Assert.Equal(stamp, BatchFileStamp.Parse(text));
        }

        [Fact]
        public void A_custom_layout_reads_back_from_its_definition()
        {
            ClusterLayout custom = ClusterLayout.FromMap(new[]
            {
                new System.Collections.Generic.KeyValuePair<string, object?>("IsMarley", 3),
                new System.Collections.Generic.KeyValuePair<string, object?>("IsMainTrack", 0),
                new System.Collections.Generic.KeyValuePair<string, object?>("ParticleEnergy", 7),
                new System.Collections.Generic.KeyValuePair<string, object?>("ColumnCount", 13),
            });
            ClusterLayout back = ClusterLayout.FromDefinition(custom.Definition);
            Assert.Equal(custom.ToMap().OrderBy(p => p.Key), back.ToMap().OrderBy(p => p.Key));
            Assert.True(back.Accepts(13));
            Assert.False(back.Accepts(14));
            Assert.Same(ClusterLayout.Seed12, ClusterLayout.FromDefinition(ClusterLayout.Seed12.Definition));
        }

        [Fact]
        public void Statistics_rebuilt_from_their_tallies_have_every_number()
        {
            var stats = new ClusterStatistics();
            foreach (string path in TestData.SampleFiles()) stats.Add(BatchFile.ReadMetadata(path));
            var back = new ClusterStatistics();
            foreach (FileTally tally in stats.Tallies) back.Add(FileTally.Parse(tally.ToString()));

            Assert.Equal(stats.ToReport(), back.ToReport());
            Assert.Equal((stats.Clusters, stats.Marley, stats.ES, stats.NuEnergyUnknown), (back.Clusters, back.Marley, back.ES, back.NuEnergyUnknown));
            Assert.Equal((stats.ParticleEnergyMin, stats.NuEnergyMax), (back.ParticleEnergyMin, back.NuEnergyMax));
        }
    }
}
