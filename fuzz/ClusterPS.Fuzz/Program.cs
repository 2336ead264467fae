using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ClusterPS.Npz;
using SharpFuzz;

namespace ClusterPS.Fuzz
{
    /// <summary>
    /// The AFL harness. Under afl-fuzz (run.sh) every input is written to a file on tmpfs and put
    /// through <see cref="Contract.Check"/>; an exception escaping it is what afl-fuzz records as a
    /// crash, a run longer than afl-fuzz's -t as a hang. Outside afl-fuzz:
    ///   dotnet ClusterPS.Fuzz.dll --repro FILE|DIR...   runs the contract on files and reports each outcome
    ///   dotnet ClusterPS.Fuzz.dll &lt; FILE               one run on stdin, as afl-fuzz would do it
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--repro") return Repro(args.Skip(1));

            string dir = Path.Combine(ScratchRoot(), "clusterps-fuzz-" + Environment.ProcessId);
            Directory.CreateDirectory(dir);
            // No plane in the name: the layout checks then accept inputs of any plane.
            string path = Path.Combine(dir, "input.npz");
            var buffer = new MemoryStream();

            // OutOfProcess: a child process runs the inputs, so a hang (killed by afl-fuzz's -t) or an
            // uncatchable failure (stack overflow) is recorded and fuzzing goes on with a new child.
            Fuzzer.OutOfProcess.Run(stream =>
            {
                buffer.SetLength(0);
                stream.CopyTo(buffer);
                using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
                {
                    file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                }

                try
                {
                    Contract.Check(path);
                }
                finally
                {
                    // Objects of this run that have finalizers (SharpZipLib's ZipFile after a failed
                    // constructor) would otherwise run instrumented code on the finalizer thread during some
                    // later run, which afl-fuzz sees as instability. Finalize them inside this run.
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    GC.WaitForPendingFinalizers();
                }
            });
            return 0;
        }

        private static string ScratchRoot()
        {
            string? root = Environment.GetEnvironmentVariable("CLUSTERPS_FUZZ_TMP");
            if (!string.IsNullOrEmpty(root)) return root;
            return Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        }

        private static unsafe int Repro(IEnumerable<string> inputs)
        {
            // The instrumented assemblies (fuzz/out/bin) record branches into afl-fuzz's shared memory;
            // outside afl-fuzz give them a private bitmap, as SharpFuzz does for a run without afl-fuzz.
            SharpFuzz.Common.Trace.SharedMem = (byte*)Marshal.AllocHGlobal(1 << 16);
            new Span<byte>(SharpFuzz.Common.Trace.SharedMem, 1 << 16).Clear();
            int violations = 0;
            foreach (string input in inputs)
            {
                IEnumerable<string> files = Directory.Exists(input)
                    ? Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal)
                    : new[] { input };
                foreach (string file in files)
                {
                    var watch = Stopwatch.StartNew();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    string outcome;
                    try
                    {
                        outcome = Contract.Check(file);
                    }
                    catch (Exception ex)
                    {
                        violations++;
                        outcome = "VIOLATION " + ex;
                    }

                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    Console.WriteLine($"{file}\t{watch.Elapsed.TotalMilliseconds:F1} ms\t{allocated / 1024:N0} KiB\t{outcome}");
                }
            }

            return violations == 0 ? 0 : 1;
        }
    }

    /// <summary>Thrown when a run breaks the contract in a way that is not itself an exception (memory).</summary>
    public sealed class ContractViolationException : Exception
    {
        public ContractViolationException(string message) : base(message) { }
    }

    /// <summary>
    /// The reader's contract for any input file: opening it, selecting every cluster by charge (which
    /// reads every image row), touching one image, and auditing it either succeed or throw
    /// <see cref="NpzFormatException"/>; nothing else escapes, and the bytes allocated stay within
    /// what the file's size can justify.
    /// </summary>
    public static class Contract
    {
        /// <summary>Deflate expands at most ~1032:1; images may be converted from 1-byte types to float32 (x4)
        /// and Fortran-order arrays are transposed through a second buffer (x2).</summary>
        private const long BytesPerFileByte = 1032L * 4 * 2;
        private const long BaseAllowance = 64L << 20;

        /// <summary>Runs the contract on <paramref name="path"/>; returns what happened, throws on a violation.</summary>
        public static string Check(string path)
        {
            long length = new FileInfo(path).Length;
            long budget = BaseAllowance + length * BytesPerFileByte;
            long start = GC.GetAllocatedBytesForCurrentThread();
            var outcome = new List<string>();

            try
            {
                using BatchFile file = BatchFile.Open(path);
                IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, new ClusterFilter { MinCharge = double.MinValue });
                // Not every cluster passes: a NaN or -Infinity charge is not >= double.MinValue.
                if (clusters.Count > file.Count)
                {
                    throw new ContractViolationException($"selected {clusters.Count} clusters of {file.Count}");
                }

                if (clusters.Count > 0)
                {
                    // Loads the selected images again through the lazy image source.
                    _ = clusters[0].Image;
                    _ = clusters[clusters.Count - 1].Charge;
                }

                outcome.Add($"open+select: ok ({clusters.Count} clusters)");
            }
            catch (NpzFormatException ex)
            {
                CheckException(ex, path);
                outcome.Add("open+select: " + ex.Code);
            }

            CheckBudget(start, budget, "open+select");

            try
            {
                var auditor = new DatasetAuditor(null);
                IReadOnlyList<AuditFinding> findings = auditor.AuditFile(path);
                int total = findings.Count + auditor.Finish().Count();
                outcome.Add($"audit: {total} findings" + (findings.Count > 0 ? " (" + string.Join(",", findings.Select(f => f.Rule).Distinct()) + ")" : ""));
            }
            catch (NpzFormatException ex)
            {
                CheckException(ex, path);
                outcome.Add("audit: " + ex.Code);
            }

            CheckBudget(start, budget, "audit");
            return string.Join("; ", outcome);
        }

        private static void CheckException(NpzFormatException ex, string path)
        {
            if (ex.Path != path || !ex.Message.Contains(path, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(ex.Reason))
            {
                throw new ContractViolationException($"NpzFormatException does not name the file: {ex.Message}");
            }

            if (!Enum.IsDefined(ex.Code)) throw new ContractViolationException($"undefined error code {(int)ex.Code}");
        }

        private static void CheckBudget(long start, long budget, string stage)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
            if (allocated > budget)
            {
                throw new ContractViolationException($"{stage} allocated {allocated:N0} bytes; the file justifies at most {budget:N0}");
            }
        }
    }
}
