using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Plumbing shared by the commands that read batch files: -Path/-LiteralPath/-Recurse/-Layout,
    /// path resolution through the session (so relative paths follow the current location),
    /// directory expansion in plane-then-batch order, per-file errors, throttled progress and Ctrl+C.
    /// </summary>
    public abstract class BatchFileCommand : PSCmdlet, IDisposable
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";
        protected const string InputObjectSet = "InputObject";

        private readonly OrderedWorkQueue<Action> _queue = new OrderedWorkQueue<Action>(2 * Environment.ProcessorCount);
        private FileProgress? _progress;

        /// <summary>Batch files or directories of them; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Batch files or directories, taken exactly as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Also read batch files in sub-folders of a directory.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>The metadata column layout: Seed12, Legacy11, Momentum15 or a hashtable of field → column. Detected when omitted.</summary>
        [Parameter]
        [LayoutTransformation]
        [ArgumentCompleter(typeof(LayoutCompleter))]
        public ClusterLayout? Layout { get; set; }

        /// <summary>True once a -Path or -LiteralPath could not be resolved (an error was written).</summary>
        protected bool HadMissingPaths { get; private set; }

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

        /// <summary>Resolves this record's -Path or -LiteralPath; writes Get-Item-like errors for missing paths.</summary>
        protected IEnumerable<ResolvedInput> ResolveInputs()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string input in literal ? LiteralPath : Path)
            {
                foreach (string path in ResolveProviderPaths(input, literal))
                {
                    if (Directory.Exists(path))
                    {
                        yield return new ResolvedInput(path, false, ExpandDirectory(path));
                    }
                    else
                    {
                        yield return new ResolvedInput(path, true, new[] { path });
                    }
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> on a worker thread a few files ahead, then, in input order on
        /// the pipeline thread, the action it returns (which writes objects); a format error it
        /// raises is written as that file's error. Per-file reading thus overlaps with the rest of
        /// the pipeline on a second core.
        /// </summary>
        protected void Enqueue(Func<Action> read)
        {
            foreach (WorkResult<Action> result in _queue.Add(read)) Complete(result);
        }

        /// <summary>Completes every queued file (call from EndProcessing).</summary>
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

        protected void WriteFileError(NpzFormatException ex) =>
            WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidData, ex.Path));

        /// <summary>Reports progress over a list of files, no more than four times a second.</summary>
        protected void Progress(string activity, int done, int total, string current) =>
            (_progress ??= new FileProgress(this)).Report(activity, done, total, current);

        protected void CompleteProgress(string activity) => _progress?.Complete(activity);

        private IEnumerable<string> ResolveProviderPaths(string input, bool literal)
        {
            IReadOnlyList<string>? paths = InputPaths.Resolve(this, input, literal);
            if (paths == null) HadMissingPaths = true;
            return paths ?? Array.Empty<string>();
        }

        private IReadOnlyList<string> ExpandDirectory(string directory) => InputPaths.ExpandDirectory(this, directory, Recurse);
    }
}
