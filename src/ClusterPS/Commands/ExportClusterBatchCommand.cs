using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Export-ClusterBatch: writes clusters from the pipeline as NumPy-loadable batch files in the
    /// seed layout and naming, one series per plane. Each file is written to a temporary name and
    /// renamed into place when complete; existing files are never overwritten without -Force.
    /// With -Append each plane's series continues after the highest batch number in the folder,
    /// and each file claims its name by a rename that never replaces, so several writers (jobs,
    /// machines on shared storage) can extract into one folder at once.
    /// A finished batch is written on a background task while the next one is gathered; at most
    /// one write is in flight, and its outcome is reported in order on the pipeline thread.
    /// With -Force, the temporary files that killed exports left in the folder are removed first.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ClusterBatch", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ClusterBatch))]
    public sealed class ExportClusterBatchCommand : ExportCommand, IDisposable
    {
        private BatchExporter? _exporter;
        private readonly int[] _written = new int[3]; // per plane: how many batches this run wrote (or is writing)
        private Task<string>? _write;
        private PendingBatch? _writeBatch;
        private string _writeTarget = "";
        private string _directory = "";
        private bool _directoryReady;
        private readonly System.Collections.Generic.HashSet<string> _unreadable = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);

        /// <summary>Clusters to write (from Select-Cluster).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public Cluster[] InputObject { get; set; } = Array.Empty<Cluster>();

        /// <summary>Clusters per batch file (default 1000).</summary>
        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int BatchSize { get; set; } = 1000;

        /// <summary>Deflate the arrays, as np.savez_compressed does.</summary>
        [Parameter]
        public SwitchParameter Compress { get; set; }

        /// <summary>What to write for clusters whose interaction is unknown (Legacy11 data).</summary>
        [Parameter]
        [ValidateSet("ES", "CC", IgnoreCase = true)]
        public string? UnknownInteraction { get; set; }

        /// <summary>Overwrite existing batch files.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Add to the batches already in the folder: each plane's series continues after its highest batch number, and no file is replaced.</summary>
        [Parameter]
        public SwitchParameter Append { get; set; }

        /// <summary>Emit a batch object for each file written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (Append && Force)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Append adds to a folder's batches and -Force replaces them; use one of them."),
                    "AppendWithForce", ErrorCategory.InvalidArgument, null));
            }

            _directory = ResolveOutputPath("a folder of batch files");
            _exporter = new BatchExporter(BatchSize, UnknownInteraction);
        }

        protected override void ProcessRecord()
        {
            foreach (Cluster cluster in InputObject)
            {
                if (cluster == null) continue;
                try
                {
                    foreach (PendingBatch batch in _exporter!.Add(cluster)) WriteBatch(batch);
                }
                catch (ClusterNotExportableException ex)
                {
                    WriteError(new ErrorRecord(ex, "ClusterNotExportable", ErrorCategory.InvalidData, cluster));
                }
                catch (NpzFormatException ex)
                {
                    // One error per file, not one per cluster of it: its clusters share the failed read.
                    if (_unreadable.Add(ex.Path)) WriteError(ClusterErrors.Of(ex));
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (PendingBatch batch in _exporter!.Flush()) WriteBatch(batch);
            CompleteWrite();
            if (!Append) WarnAboutOlderBatches();
        }

        /// <summary>On a stop, lets the write in flight finish: it produces a whole file or none.</summary>
        public void Dispose()
        {
            try
            {
                _write?.Wait();
            }
            catch (AggregateException)
            {
                // Its error can no longer be reported; the temporary file is already gone.
            }
        }

        private void WriteBatch(PendingBatch batch)
        {
            string target = System.IO.Path.Combine(_directory, batch.FileName);
            string action = Append ? $"Add {batch.Count} clusters of plane {batch.Plane} as a new batch" : $"Write {batch.Count} clusters of plane {batch.Plane}";
            if (!ShouldProcess(Append ? _directory : target, action)) return;
            if (!EnsureDirectory()) return;
            string? existing = Append ? null : ExistingSeries(batch.Plane);
            if (existing != null && !Force)
            {
                // The whole series of a plane is refused, not only the names that clash: writing the
                // rest would leave a folder that mixes two exports.
                WriteError(new ErrorRecord(new IOException(
                        $"'{_directory}' already holds batch files of plane {batch.Plane} ({existing}); use -Force to replace them, -Append to add to them, or another folder. The {batch.Count} clusters of {batch.FileName} were not written."),
                    "BatchFileExists", ErrorCategory.ResourceExists, target));
                return;
            }

            _written[(int)batch.Plane] = batch.Number + 1;

            CompleteWrite();
            bool compress = Compress;
            string directory = _directory;
            _writeTarget = Append ? _directory : target;
            _writeBatch = batch;
            if (Append)
            {
                batch.Renumber(NextFreeNumber(batch.Plane));
                _write = Task.Run(() => batch.WriteNew(directory, compress));
            }
            else
            {
                _write = Task.Run(() =>
                {
                    batch.Write(target, compress);
                    return target;
                });
            }
        }

        /// <summary>Waits for the write in flight, then reports its failure or emits its batch (-PassThru).</summary>
        private void CompleteWrite()
        {
            if (_write == null) return;
            Task<string> write = _write;
            _write = null;
            string written;
            try
            {
                written = write.GetAwaiter().GetResult();
                _exporter!.Recycle(_writeBatch!);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(new IOException($"Cannot write '{_writeTarget}': {ex.Message}", ex), "BatchWriteFailed", ErrorCategory.WriteError, _writeTarget));
                return;
            }

            if (PassThru)
            {
                using BatchFile file = BatchFile.Open(written, ClusterLayout.Seed12);
                WriteObject(file.Batch);
            }
        }

        /// <summary>With -Append: one past the highest batch number of the plane's series in the folder (a start; the write claims the first free name from there).</summary>
        private int NextFreeNumber(Plane plane) =>
            SeriesFiles(plane, 0).Select(f => BatchFileName.BatchNumberOf(System.IO.Path.GetFileName(f)) ?? -1).DefaultIfEmpty(-1).Max() + 1;

        /// <summary>Before this run writes a plane's first batch: the plane's batch files already in the folder, or null.</summary>
        private string? ExistingSeries(Plane plane)
        {
            if (_written[(int)plane] > 0 || !Directory.Exists(_directory)) return null;
            string[] files = SeriesFiles(plane, 0);
            return files.Length == 0 ? null : System.IO.Path.GetFileName(files[0]) + (files.Length > 1 ? $" and {files.Length - 1} more" : "");
        }

        /// <summary>With -Force: batches of an earlier, longer export that this run did not replace.</summary>
        private void WarnAboutOlderBatches()
        {
            for (int p = 0; p < _written.Length; p++)
            {
                if (_written[p] == 0) continue;
                string[] stale = SeriesFiles((Plane)p, _written[p]);
                if (stale.Length > 0)
                {
                    WriteWarning($"'{_directory}' still holds {stale.Length} older batch file(s) of plane {(Plane)p} numbered from {System.IO.Path.GetFileName(stale[0])} on, which this export did not replace; together they mix two exports.");
                }
            }
        }

        /// <summary>The folder's seed-named batch files of a plane numbered <paramref name="from"/> or higher, in order.</summary>
        private string[] SeriesFiles(Plane plane, int from) =>
            Directory.GetFiles(_directory, $"clusters_plane{plane}_batch*.npz")
                .Where(f => BatchFileName.BatchNumberOf(System.IO.Path.GetFileName(f)) >= from)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();

        private bool EnsureDirectory()
        {
            if (_directoryReady) return true;
            if (File.Exists(_directory))
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{_directory}' is a file; Export-ClusterBatch writes into a folder."),
                    "PathIsFile", ErrorCategory.InvalidArgument, _directory));
            }

            try
            {
                Directory.CreateDirectory(_directory);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "DirectoryNotCreated", ErrorCategory.WriteError, _directory));
            }

            if (Force) RemoveLeftovers();
            return _directoryReady = true;
        }

        /// <summary>
        /// Removes the temporary files of batch files this command writes that killed exports left
        /// (see <see cref="AtomicFile.Leftovers"/>): held by no writer and unwritten for
        /// <see cref="AtomicFile.StaleAfter"/>, so that a concurrent export's file is never touched.
        /// </summary>
        private void RemoveLeftovers()
        {
            FileInfo? current = null;
            try
            {
                foreach (FileInfo leftover in AtomicFile.Leftovers(_directory, AtomicFile.StaleAfter, BatchFileName.IsSeedName))
                {
                    current = leftover;
                    leftover.Delete();
                    WriteVerbose($"Removed '{leftover.FullName}', the temporary file of an export that never finished.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteWarning($"Cannot remove the temporary files that unfinished exports left in '{_directory}' ({current?.Name}): {ex.Message}");
            }
        }
    }
}
