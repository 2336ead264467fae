using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Plumbing shared by the commands that read batch files: the ways input arrives (-Path with
    /// wildcards, -LiteralPath, or anything on the pipeline as -InputObject), -Recurse and -Layout,
    /// path resolution through the session, directory expansion in plane-then-batch order,
    /// per-file errors, throttled progress and Ctrl+C.
    /// </summary>
    /// <remarks>
    /// Everything piped binds to -InputObject (a PSObject, so no coercion to a string can bind a
    /// batch to -Path by its name); <see cref="PipedObject"/> decides what it stands for.
    /// </remarks>
    public abstract class BatchFileCommand : PSCmdlet, IDisposable
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";
        protected const string InputObjectSet = "InputObject";

        private OrderedWorkQueue<Action>? _queue;
        private readonly HashSet<string> _clusterFiles = new HashSet<string>(StringComparer.Ordinal);
        private FileProgress? _progress;

        /// <summary>Batch files or directories of them; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Batch files or directories, taken exactly as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>What comes down the pipeline: paths, files, batches, clusters, or what else the command takes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Also read batch files in sub-folders of a directory.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>The metadata column layout: Seed12, Legacy11, Momentum15 or a hashtable of field → column. Detected when omitted.</summary>
        [Parameter]
        [LayoutTransformation]
        [ArgumentCompleter(typeof(LayoutCompleter))]
        public ClusterLayout? Layout { get; set; }

        /// <summary>True once an input could not be used: a path that names nothing, a file that could not be read, or a piped object the command does not take or cannot rebuild (an error was written).</summary>
        protected bool HadInputErrors { get; private set; }

        /// <summary>The progress bar's title.</summary>
        protected abstract string Activity { get; }

        /// <summary>
        /// How many worker threads read files ahead of the pipeline thread: one per processor, as
        /// the pipeline thread usually has its own work downstream (writing objects, exporting).
        /// </summary>
        protected virtual int ReadAheadWorkers => Environment.ProcessorCount;

        private OrderedWorkQueue<Action> Queue => _queue ??= new OrderedWorkQueue<Action>(2 * Environment.ProcessorCount, ReadAheadWorkers);

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
                if (InputObject != null) ProcessPiped(InputObject);
                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in literal ? LiteralPath : Path) ProcessPath(path, literal);
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

        protected void WriteUnsupported(object item) =>
            WriteInputError(new ErrorRecord(
                new ArgumentException($"{MyInvocation.MyCommand.Name} takes batches, clusters or paths, not {TypeNameOf(item)} objects."),
                "UnsupportedInput", ErrorCategory.InvalidArgument, item));

        private static string TypeNameOf(object item) =>
            item is PSObject pso ? pso.TypeNames.FirstOrDefault() ?? "PSObject" : item.GetType().Name;

        /// <summary>Sorts out one piped object (see <see cref="PipedObject"/>).</summary>
        private void ProcessPiped(PSObject piped)
        {
            foreach (PipedObject item in PipedObject.Expand(piped))
            {
                if (Stopping) return;
                switch (item)
                {
                    case PipedObject.Data data:
                        ProcessData(data.Value);
                        break;
                    case PipedObject.PathText path:
                        ProcessPath(path.Path, path.Literal);
                        break;
                    case PipedObject.Damaged damaged:
                        WriteInputError(ClusterErrors.Damaged(damaged));
                        break;
                    case PipedObject.Unsupported other:
                        WriteUnsupported(other.Item);
                        break;
                }
            }
        }

        /// <summary>A path as the user gave it: resolved (Get-Item-like errors for missing ones), each file or directory in turn.</summary>
        private void ProcessPath(string input, bool literal)
        {
            IReadOnlyList<string> paths = SessionPaths.ResolveInput(this, input, literal);
            if (paths.Count == 0) HadInputErrors = true;
            foreach (string path in paths)
            {
                if (Stopping) return;
                if (!Directory.Exists(path))
                {
                    ProcessInput(new ResolvedInput(path, true, new[] { path }));
                    continue;
                }

                IReadOnlyList<string>? files = SessionPaths.ExpandDirectory(this, path, Recurse);
                if (files == null) HadInputErrors = true;
                else ProcessInput(new ResolvedInput(path, false, files));
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> on a worker thread (or on the pipeline thread while it would
        /// otherwise wait), then, in input order on the pipeline thread, the action it returns (which
        /// writes objects); a format error it raises is written as that file's error. Up to
        /// 2 × ProcessorCount files are read ahead by <see cref="ReadAheadWorkers"/> workers,
        /// overlapping with each other and with the rest of the pipeline (see <see cref="OrderedWorkQueue{T}"/>).
        /// </summary>
        protected void Enqueue(Func<Action> read)
        {
            foreach (WorkResult<Action> result in Queue.Add(read)) Complete(result);
        }

        /// <summary>Runs <paramref name="write"/> on the pipeline thread in input order: at once, unless files read ahead are still due before it.</summary>
        protected void EnqueueDone(Action write)
        {
            foreach (WorkResult<Action> result in Queue.AddDone(write)) Complete(result);
        }

        /// <summary>Completes every queued file.</summary>
        protected void Drain()
        {
            if (_queue == null) return;
            foreach (WorkResult<Action> result in _queue.Drain()) Complete(result);
        }

        /// <summary>Opens a batch file with the given layout, else -Layout, else detection.</summary>
        protected BatchFile Open(string path, ClusterLayout? layout = null) => BatchFile.Open(path, layout ?? Layout);

        public void Dispose() => _queue?.Dispose();

        private void Complete(WorkResult<Action> result)
        {
            if (result.Error != null) WriteFileError(result.Error);
            else result.Value();
        }

        protected void WriteFileError(NpzFormatException ex) => WriteInputError(ClusterErrors.Of(ex));

        /// <summary>An input the command could not use: its error, and <see cref="HadInputErrors"/>.</summary>
        private void WriteInputError(ErrorRecord error)
        {
            HadInputErrors = true;
            WriteError(error);
        }

        /// <summary>Reports progress over a list of files, no more than four times a second.</summary>
        protected void Progress(int done, int total, string current) => (_progress ??= new FileProgress(this)).Report(Activity, done, total, current);

        private void CompleteProgress() => _progress?.Complete(Activity);
    }
}
