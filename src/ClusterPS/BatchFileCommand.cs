using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Plumbing shared by the commands that read batch files: the three ways input arrives
    /// (-Path with wildcards, -LiteralPath, or ClusterPS objects by value as -InputObject),
    /// -Recurse and -Layout, path resolution through the session, directory expansion in
    /// plane-then-batch order, per-file errors, throttled progress and Ctrl+C.
    /// </summary>
    /// <remarks>
    /// A batch or cluster on the pipeline binds to -InputObject and stands for exactly the file its
    /// full <c>Path</c> names — never a same-named file in the current location; a FileInfo from
    /// Get-ChildItem binds to -LiteralPath through its PSPath. Deserialized batches and clusters
    /// arrive here already rebuilt (see ClusterTypeConverter), so they behave the same.
    /// </remarks>
    public abstract class BatchFileCommand : PSCmdlet, IDisposable
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";
        protected const string InputObjectSet = "InputObject";

        private readonly OrderedWorkQueue<Action> _queue = new OrderedWorkQueue<Action>(2 * Environment.ProcessorCount);
        private readonly HashSet<string> _clusterFiles = new HashSet<string>(StringComparer.Ordinal);
        private readonly Stopwatch _progressClock = Stopwatch.StartNew();
        private long _lastProgress = -1000;

        /// <summary>Batch files or directories of them; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Batch files or directories, taken exactly as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>ClusterPS objects from the pipeline: batches, clusters, or what else the command takes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public IClusterData[] InputObject { get; set; } = Array.Empty<IClusterData>();

        /// <summary>Also read batch files in sub-folders of a directory.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>The metadata column layout: Seed12, Legacy11, Momentum15 or a hashtable of field → column. Detected when omitted.</summary>
        [Parameter]
        [LayoutTransformation]
        [ArgumentCompleter(typeof(LayoutCompleter))]
        public ClusterLayout? Layout { get; set; }

        /// <summary>True once an input could not be used: a path that names nothing, or a file that could not be read (an error was written).</summary>
        protected bool HadInputErrors { get; private set; }

        /// <summary>The progress bar's title.</summary>
        protected abstract string Activity { get; }

        /// <summary>One input as the user named it, resolved: the files it stands for, and whether it was a single file.</summary>
        protected readonly struct ResolvedInput
        {
            public ResolvedInput(string path, bool isFile, IReadOnlyList<string> files)
            {
                Path = path;
                IsFile = isFile;
                Files = files;
            }

            public string Path { get; }
            public bool IsFile { get; }
            public IReadOnlyList<string> Files { get; }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (IClusterData item in InputObject)
                {
                    if (Stopping) return;
                    if (item != null) ProcessData(item);
                }

                return;
            }

            foreach (ResolvedInput input in ResolveInputs())
            {
                ProcessInput(input);
            }
        }

        protected override void EndProcessing()
        {
            Drain();
            CompleteProgress();
        }

        /// <summary>Reads one batch file (with the given layout, else -Layout, else detection).</summary>
        protected abstract void ProcessFile(string path, ClusterLayout? layout);

        /// <summary>A path the user named: each of its files in order, with progress.</summary>
        protected virtual void ProcessInput(ResolvedInput input)
        {
            for (int i = 0; i < input.Files.Count && !Stopping; i++)
            {
                Progress(i, input.Files.Count, input.Files[i]);
                ProcessFile(input.Files[i], null);
            }
        }

        /// <summary>
        /// One object from the pipeline. A batch stands for its file (read with the layout it was read
        /// with, unless -Layout is given); a cluster, by default, for its file, once; anything else is
        /// an 'UnsupportedInput' error.
        /// </summary>
        protected virtual void ProcessData(IClusterData item)
        {
            switch (item)
            {
                case ClusterBatch batch:
                    ProcessFile(batch.Path, Layout ?? batch.ColumnLayout);
                    break;
                case Cluster cluster:
                    ProcessCluster(cluster);
                    break;
                default:
                    WriteUnsupported(item);
                    break;
            }
        }

        protected virtual void ProcessCluster(Cluster cluster)
        {
            if (_clusterFiles.Add(cluster.Path)) ProcessFile(cluster.Path, Layout ?? cluster.ColumnLayout);
        }

        protected void WriteUnsupported(IClusterData item) =>
            WriteError(new ErrorRecord(
                new ArgumentException($"{MyInvocation.MyCommand.Name} takes batches, clusters or paths, not {item.GetType().Name} objects."),
                "UnsupportedInput", ErrorCategory.InvalidArgument, item));

        /// <summary>Resolves this record's -Path or -LiteralPath; writes Get-Item-like errors for missing paths.</summary>
        private IEnumerable<ResolvedInput> ResolveInputs()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string input in literal ? LiteralPath : Path)
            {
                IReadOnlyList<string> paths = SessionPaths.ResolveInput(this, input, literal);
                if (paths.Count == 0) HadInputErrors = true;
                foreach (string path in paths)
                {
                    yield return Directory.Exists(path)
                        ? new ResolvedInput(path, false, ExpandDirectory(path))
                        : new ResolvedInput(path, true, new[] { path });
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> on a thread-pool thread, then, in input order on the pipeline
        /// thread, the action it returns (which writes objects); a format error it raises is written
        /// as that file's error. Up to 2 × ProcessorCount files are read ahead at once, overlapping
        /// with each other and with the rest of the pipeline.
        /// </summary>
        protected void Enqueue(Func<Action> read)
        {
            foreach (WorkResult<Action> result in _queue.Add(read)) Complete(result);
        }

        /// <summary>Runs <paramref name="write"/> on the pipeline thread in input order: at once, unless files read ahead are still due before it.</summary>
        protected void EnqueueDone(Action write)
        {
            foreach (WorkResult<Action> result in _queue.AddDone(write)) Complete(result);
        }

        /// <summary>Completes every queued file.</summary>
        protected void Drain()
        {
            foreach (WorkResult<Action> result in _queue.Drain()) Complete(result);
        }

        /// <summary>Opens a batch file with the given layout, else -Layout, else detection.</summary>
        protected BatchFile Open(string path, ClusterLayout? layout = null) => BatchFile.Open(path, layout ?? Layout);

        public void Dispose() => _queue.Dispose();

        private void Complete(WorkResult<Action> result)
        {
            if (result.Error != null) WriteFileError(result.Error);
            else result.Value();
        }

        protected void WriteFileError(NpzFormatException ex)
        {
            HadInputErrors = true;
            WriteError(ClusterErrors.Of(ex));
        }

        /// <summary>Reports progress over a list of files, no more than four times a second.</summary>
        protected void Progress(int done, int total, string current)
        {
            long now = _progressClock.ElapsedMilliseconds;
            if (total < 2 || now - _lastProgress < 250) return;
            _lastProgress = now;
            WriteProgress(new ProgressRecord(1, Activity, $"{done} of {total} files: {System.IO.Path.GetFileName(current)}")
            {
                PercentComplete = (int)(100L * done / total),
            });
        }

        private void CompleteProgress()
        {
            if (_lastProgress >= 0) WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>
        /// The .npz files of a directory (the extension in any case), in plane then batch order. An
        /// empty result gets a warning, with a hint when sub-folders hold batches and -Recurse is off.
        /// </summary>
        private IReadOnlyList<string> ExpandDirectory(string directory)
        {
            try
            {
                List<string> files = NpzFiles(directory, Recurse)
                    .Select(f => new { Path = f, Name = System.IO.Path.GetFileName(f) })
                    .OrderBy(f => (int?)BatchFileName.PlaneOf(f.Name) ?? int.MaxValue)
                    .ThenBy(f => BatchFileName.BatchNumberOf(f.Name) ?? int.MaxValue)
                    .ThenBy(f => f.Path, StringComparer.Ordinal)
                    .Select(f => f.Path)
                    .ToList();
                if (files.Count == 0)
                {
                    bool deeper = !Recurse && NpzFiles(directory, recurse: true).Any();
                    WriteWarning($"'{directory}' holds no .npz batch files" + (deeper ? "; its sub-folders do: add -Recurse." : "."));
                }

                return files;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                HadInputErrors = true;
                WriteError(new ErrorRecord(ex, "DirectoryUnreadable", ErrorCategory.ReadError, directory));
                return Array.Empty<string>();
            }
        }

        private static IEnumerable<string> NpzFiles(string directory, bool recurse) =>
            Directory.EnumerateFiles(directory, "*", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(f => f.EndsWith(".npz", StringComparison.OrdinalIgnoreCase));
    }
}
