using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using ClusterPS.Npz;
using ClusterPS.Report;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Export-ClusterReport: one self-contained HTML report of the dataset piped in (batches, or paths
    /// of files and folders): statistics, audit findings, distributions per class as SVG charts and
    /// example images. -Path is the report file; it is written atomically and never overwritten
    /// without -Force.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ClusterReport", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportClusterReportCommand : ExportCommand
    {
        private const string Activity = "Writing the dataset report";

        private readonly List<string> _files = new List<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private string _target = "";

        /// <summary>Batches (from Get-ClusterBatch), or paths of batch files and folders (strings, Get-ChildItem output).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Also read batch files in sub-folders of a folder given as input.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>The metadata column layout (as for Get-ClusterBatch). Detected when omitted.</summary>
        [Parameter]
        [LayoutTransformation]
        [ArgumentCompleter(typeof(LayoutCompleter))]
        public ClusterLayout? Layout { get; set; }

        /// <summary>The report's heading (default: ClusterPS dataset report).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "ClusterPS dataset report";

        /// <summary>Overwrite an existing report file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the report file (as Get-Item does).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _target = ResolveOutputPath("the report");

            if (Directory.Exists(_target))
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{_target}' is a folder; give the report a file name, such as '{System.IO.Path.Combine(OutputPathAsTyped, "report.html")}'."),
                    "ReportPathIsFolder", ErrorCategory.InvalidArgument, _target));
            }

            CheckNotExisting();
        }

        /// <summary>Takes what each piped object stands for (see <see cref="PipedObject"/>): a batch's or cluster's file, or the files of a path.</summary>
        protected override void ProcessRecord()
        {
            foreach (PipedObject item in InputObject.Where(i => i != null).SelectMany(PipedObject.Expand))
            {
                switch (item)
                {
                    case PipedObject.Data { Value: ClusterBatch batch }:
                        AddFile(batch.Path);
                        break;
                    case PipedObject.Data { Value: Cluster cluster }:
                        AddFile(cluster.Path);
                        break;
                    case PipedObject.PathText path:
                        AddInput(path.Path, path.Literal);
                        break;
                    case PipedObject.Data other:
                        WriteUnsupported(other.Value);
                        break;
                    case PipedObject.Damaged damaged:
                        WriteError(ClusterErrors.Damaged(damaged));
                        break;
                    case PipedObject.Unsupported other:
                        WriteUnsupported(other.Item);
                        break;
                }
            }
        }

        protected override void EndProcessing()
        {
            if (!ShouldProcess(_target, $"Write the dataset report of {_files.Count} batch file(s)")) return;
            var report = new DatasetReport(Layout);
            var progress = new FileProgress(this);
            for (int i = 0; i < _files.Count; i++)
            {
                if (Stopping) return;
                progress.Report(Activity, i, _files.Count, _files[i]);
                Read(report, _files[i]);
            }

            if (Stopping) return;
            report.Finish();
            progress.Complete(Activity);
            Write(HtmlReport.Render(report, Title, DateTime.UtcNow));
        }

        private void Read(DatasetReport report, string path)
        {
            report.Audit(path, () => Stopping);
            try
            {
                using BatchFile file = BatchFile.Open(path, Layout);
                report.Add(file, () => Stopping);
            }
            catch (NpzFormatException ex)
            {
                report.AddUnreadable(ex.Path, ex.Message);
                WriteError(ClusterErrors.Of(ex));
            }
        }

        private void Write(string html)
        {
            CheckNotExisting();
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_target) ?? ".");
                byte[] bytes = new UTF8Encoding(false).GetBytes(html);
                AtomicFile.Write(_target, stream => stream.Write(bytes, 0, bytes.Length));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"Cannot write '{_target}': {ex.Message}", ex), "ReportWriteFailed", ErrorCategory.WriteError, _target));
            }

            if (PassThru) WriteObject(SessionState.InvokeProvider.Item.Get(new[] { _target }, false, true), true);
        }

        private void CheckNotExisting()
        {
            if (File.Exists(_target) && !Force)
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{_target}' already exists; use -Force to overwrite it."),
                    "ReportFileExists", ErrorCategory.ResourceExists, _target));
            }
        }

        private void WriteUnsupported(object item) =>
            WriteError(new ErrorRecord(new ArgumentException("Export-ClusterReport takes batches (from Get-ClusterBatch), clusters, or paths of batch files and folders."),
                "UnsupportedInput", ErrorCategory.InvalidArgument, item));

        private void AddInput(string input, bool literal)
        {
            foreach (string path in SessionPaths.ResolveInput(this, input, literal))
            {
                if (Directory.Exists(path))
                {
                    foreach (string file in SessionPaths.ExpandDirectory(this, path, Recurse) ?? Array.Empty<string>()) AddFile(file);
                }
                else
                {
                    AddFile(path);
                }
            }
        }

        private void AddFile(string path)
        {
            if (_seen.Add(path)) _files.Add(path);
        }
    }
}
