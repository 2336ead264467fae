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
        private readonly Stopwatch _progressClock = Stopwatch.StartNew();
        private long _lastProgress = -1000;

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
        /// Runs <paramref name="read"/> on a thread-pool thread, then, in input order on the pipeline
        /// thread, the action it returns (which writes objects); a format error it raises is written
        /// as that file's error. Up to 2 × ProcessorCount files are read ahead at once, overlapping
        /// with each other and with the rest of the pipeline.
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
        protected void Progress(string activity, int done, int total, string current)
        {
            long now = _progressClock.ElapsedMilliseconds;
            if (total < 2 || now - _lastProgress < 250) return;
            _lastProgress = now;
            WriteProgress(new ProgressRecord(1, activity, $"{done} of {total} files: {System.IO.Path.GetFileName(current)}")
            {
                PercentComplete = (int)(100L * done / total),
            });
        }

        protected void CompleteProgress(string activity)
        {
            if (_lastProgress >= 0) WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private IEnumerable<string> ResolveProviderPaths(string input, bool literal)
        {
            ProviderInfo provider;
            IReadOnlyList<string> paths;
            try
            {
                if (literal)
                {
                    string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out provider, out _);
                    if (!File.Exists(path) && !Directory.Exists(path))
                    {
                        throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
                    }

                    paths = new[] { path };
                }
                else
                {
                    paths = SessionState.Path.GetResolvedProviderPathFromPSPath(input, out provider);
                    if (paths.Count == 0) throw new ItemNotFoundException($"Cannot find path '{input}' because it does not exist.");
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
            {
                HadMissingPaths = true;
                WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, input));
                return Array.Empty<string>();
            }

            if (provider.Name != "FileSystem")
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{input}' is not a file system path; batch files must be files."),
                    "NotFileSystemPath", ErrorCategory.InvalidArgument, input));
                return Array.Empty<string>();
            }

            return paths;
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
                WriteError(new ErrorRecord(ex, "DirectoryUnreadable", ErrorCategory.ReadError, directory));
                return Array.Empty<string>();
            }
        }

        private static IEnumerable<string> NpzFiles(string directory, bool recurse) =>
            Directory.EnumerateFiles(directory, "*", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(f => f.EndsWith(".npz", StringComparison.OrdinalIgnoreCase));
    }
}
