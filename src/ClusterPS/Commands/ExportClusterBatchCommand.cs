using System;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Export-ClusterBatch: writes clusters from the pipeline as NumPy-loadable batch files in the
    /// seed layout and naming, one series per plane. Each file is written to a temporary name and
    /// renamed into place when complete; existing files are never overwritten without -Force.
    /// A finished batch is written on a background task while the next one is gathered; at most
    /// one write is in flight, and its outcome is reported in order on the pipeline thread.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ClusterBatch", SupportsShouldProcess = true)]
    [OutputType(typeof(ClusterBatch))]
    public sealed class ExportClusterBatchCommand : PSCmdlet, IDisposable
    {
        private BatchExporter? _exporter;
        private Task? _write;
        private PendingBatch? _writeBatch;
        private string _writeTarget = "";
        private string _directory = "";
        private bool _directoryReady;

        /// <summary>The folder to write batch files into; created if missing.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

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

        /// <summary>Emit a batch object for each file written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            _exporter = new BatchExporter(BatchSize, UnknownInteraction);
        }

        protected override void ProcessRecord()
        {
            foreach (Cluster cluster in InputObject)
            {
                try
                {
                    foreach (PendingBatch batch in _exporter!.Add(cluster)) WriteBatch(batch);
                }
                catch (ArgumentException ex)
                {
                    WriteError(new ErrorRecord(ex, "ClusterNotExportable", ErrorCategory.InvalidData, cluster));
                }
                catch (NpzFormatException ex)
                {
                    WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidData, ex.Path));
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (PendingBatch batch in _exporter!.Flush()) WriteBatch(batch);
            CompleteWrite();
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
            string action = $"Write {batch.Count} clusters of plane {batch.Plane}";
            if (!ShouldProcess(target, action)) return;
            if (!EnsureDirectory()) return;
            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' already exists; use -Force to overwrite it. Its {batch.Count} clusters were not written."),
                    "BatchFileExists", ErrorCategory.ResourceExists, target));
                return;
            }

            CompleteWrite();
            bool compress = Compress;
            _writeTarget = target;
            _writeBatch = batch;
            _write = Task.Run(() => batch.Write(target, compress));
        }

        /// <summary>Waits for the write in flight, then reports its failure or emits its batch (-PassThru).</summary>
        private void CompleteWrite()
        {
            if (_write == null) return;
            Task write = _write;
            _write = null;
            try
            {
                write.GetAwaiter().GetResult();
                _exporter!.Recycle(_writeBatch!);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(new IOException($"Cannot write '{_writeTarget}': {ex.Message}", ex), "BatchWriteFailed", ErrorCategory.WriteError, _writeTarget));
                return;
            }

            if (PassThru)
            {
                using BatchFile written = BatchFile.Open(_writeTarget, ClusterLayout.Seed12);
                WriteObject(written.Info);
            }
        }

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

            return _directoryReady = true;
        }
    }
}
