using System;
using System.IO;
using System.Linq;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>Temporary files that killed exports leave: how AtomicFile finds them and the audit reports them (issue 13).</summary>
    public class LeftoverTests
    {
        private static readonly string Batch = Path.Combine(TestData.Root, "integrity", "clusters_planeX_batch0000.npz");

        [Theory]
        [InlineData(".clusters_planeX_batch0003.npz.1a2b3c4d.tmp", "clusters_planeX_batch0003.npz")]
        [InlineData(".a.b.npz.00000000.tmp", "a.b.npz")]
        [InlineData("clusters_planeX_batch0003.npz.1a2b3c4d.tmp", null)]
        [InlineData(".clusters_planeX_batch0003.npz.1A2B3C4D.tmp", null)]
        [InlineData(".clusters_planeX_batch0003.npz.1a2b3c.tmp", null)]
        [InlineData(".clusters_planeX_batch0003.npz.1a2b3c4d.tmp.bak", null)]
        public void Temporary_names_are_recognised_exactly(string name, string? target) =>
            Assert.Equal(target, AtomicFile.TargetOf(name));

        [Fact]
        public void A_write_leaves_nothing_and_its_temporary_name_is_recognised()
        {
            using var temp = new TempDir();
            string path = temp.File("clusters_planeU_batch0000.npz");
            string? seen = null;
            AtomicFile.Write(path, s =>
            {
                seen = Directory.GetFiles(temp.Path).Single();
                s.WriteByte(1);
            });
            Assert.Equal("clusters_planeU_batch0000.npz", AtomicFile.TargetOf(Path.GetFileName(seen!)));
            Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
        }

        [Fact]
        public void Leftovers_are_unlocked_old_enough_and_for_an_accepted_target()
        {
            using var temp = new TempDir();
            DateTime old = DateTime.UtcNow.AddMinutes(-20);
            string stale = Leftover(temp, ".clusters_planeX_batch0001.npz.0badf00d.tmp", old);
            string young = Leftover(temp, ".clusters_planeX_batch0002.npz.0badf00d.tmp", DateTime.UtcNow.AddSeconds(-5));
            Leftover(temp, ".clusters_planeX_batch0005.npz.0badf00d.tmp", DateTime.UtcNow.AddSeconds(1)); // just created: never probed
            string locked = Leftover(temp, ".clusters_planeX_batch0003.npz.0badf00d.tmp", old);
            string other = Leftover(temp, ".notes.txt.0badf00d.tmp", old);
            Leftover(temp, "clusters_planeX_batch0004.npz", old);

            using (new FileStream(locked, FileMode.Open, FileAccess.Write, FileShare.None)) // as AtomicFile.Write holds its file
            {
                Assert.Equal(new[] { stale }, AtomicFile.Leftovers(temp.Path, AtomicFile.StaleAfter, BatchFileName.IsSeedName).Select(f => f.FullName));
                Assert.Equal(new[] { stale, young }.OrderBy(p => p),
                    AtomicFile.Leftovers(temp.Path, TimeSpan.Zero, BatchFileName.IsSeedName).Select(f => f.FullName).OrderBy(p => p));
                Assert.Contains(other, AtomicFile.Leftovers(temp.Path, TimeSpan.Zero, t => true).Select(f => f.FullName));
            }

            Assert.Contains(locked, AtomicFile.Leftovers(temp.Path, AtomicFile.StaleAfter, BatchFileName.IsSeedName).Select(f => f.FullName));
        }

        [Fact]
        public void The_audit_warns_about_leftovers_in_the_folders_it_audits()
        {
            using var temp = new TempDir();
            temp.Copy(Batch);
            string stale = Leftover(temp, ".clusters_planeX_batch0001.npz.0badf00d.tmp", DateTime.UtcNow.AddSeconds(-5));
            Leftover(temp, ".notes.txt.0badf00d.tmp", DateTime.UtcNow.AddSeconds(-5));

            var auditor = new DatasetAuditor(null);
            Assert.Empty(auditor.AuditFile(Path.Combine(temp.Path, Path.GetFileName(Batch))));
            AuditFinding finding = Assert.Single(auditor.Finish());
            Assert.Equal(("Warning", "StaleTempFile", stale), (finding.Severity, finding.Rule, finding.Path));
            Assert.Contains(".clusters_planeX_batch0001.npz.0badf00d.tmp", finding.Message, StringComparison.Ordinal);
            Assert.Contains("never finished", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_audit_looks_in_a_folder_it_was_given_even_when_it_holds_no_batch()
        {
            using var temp = new TempDir();
            Leftover(temp, ".clusters_planeX_batch0000.npz.0badf00d.tmp", DateTime.UtcNow.AddSeconds(-5));
            var auditor = new DatasetAuditor(null);
            auditor.AddFolder(temp.Path);
            Assert.Equal("StaleTempFile", Assert.Single(auditor.Finish()).Rule);
        }

        private static string Leftover(TempDir temp, string name, DateTime lastWrite)
        {
            string path = temp.File(name);
            File.WriteAllBytes(path, new byte[] { 0x50, 0x4b });
            File.SetLastWriteTimeUtc(path, lastWrite);
            return path;
        }
    }
}
