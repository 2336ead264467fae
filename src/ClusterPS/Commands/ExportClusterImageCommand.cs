using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ClusterPS.Render;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Export-ClusterImage: writes each cluster image from the pipeline as a viridis PNG. -Path (or
    /// -LiteralPath) is a folder (files named &lt;batch base name&gt;_&lt;index&gt;.png) or a file
    /// pattern with the tokens {Batch}, {Index} and {Plane}; a path ending in '.png' that is not an
    /// existing folder is a pattern too (one file, for one cluster). Each file is written to a temporary name in its folder and
    /// renamed into place; existing files are never overwritten without -Force.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ClusterImage", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportClusterImageCommand : ExportCommand
    {
        private static readonly Regex Token = new Regex(@"\{(Batch|Index|Plane)\}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly HashSet<string> _written = new HashSet<string>(
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

        private string _resolved = "";
        private bool _isPattern;
        private PngRenderOptions _options = new PngRenderOptions();

        /// <summary>Clusters to draw (from Select-Cluster).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public Cluster[] InputObject { get; set; } = Array.Empty<Cluster>();

        /// <summary>Each image pixel becomes a Scale × Scale block (default 4).</summary>
        [Parameter]
        [ValidateRange(1, PngRenderOptions.MaxPixelScale)]
        public int Scale { get; set; } = 4;

        /// <summary>Add a viridis colour bar with the minimum and maximum on the right.</summary>
        [Parameter]
        public SwitchParameter ColorBar { get; set; }

        /// <summary>Add the title (file, index, metadata), a tick axis and a channel axis.</summary>
        [Parameter]
        public SwitchParameter Label { get; set; }

        /// <summary>Overwrite existing files.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the file (as Get-Item does) for each image written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _resolved = ResolveOutputPath("a PNG image");

            _isPattern = Token.IsMatch(_resolved)
                || (_resolved.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(_resolved));
            _options = new PngRenderOptions { PixelScale = Scale, ColorBar = ColorBar, Labels = Label };
        }

        protected override void ProcessRecord()
        {
            foreach (Cluster cluster in InputObject)
            {
                if (Stopping) return;
                if (cluster != null) Export(cluster);
            }
        }

        private void Export(Cluster cluster)
        {
            if (cluster.ImageShape == null)
            {
                ClusterErrors.ReadImage(this, cluster);
                return;
            }

            string target = Target(cluster);
            if (_written.Contains(target))
            {
                WriteError(new ErrorRecord(
                    new IOException($"'{target}' was already written for another cluster by this command; put {{Index}} (and {{Batch}}) in the -Path pattern so that each cluster gets its own file."),
                    "ImageFileNameNotUnique", ErrorCategory.InvalidArgument, cluster));
                return;
            }

            if (!ShouldProcess(target, $"Write the image of cluster {cluster.Index} of {cluster.Batch.Name}")) return;
            if (Directory.Exists(target))
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' is a folder; the image of cluster {cluster.Index} of {cluster.Batch.Name} was not written."),
                    "ImagePathIsFolder", ErrorCategory.InvalidArgument, target));
                return;
            }

            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' already exists; use -Force to overwrite it. The image of cluster {cluster.Index} of {cluster.Batch.Name} was not written."),
                    "ImageFileExists", ErrorCategory.ResourceExists, target));
                return;
            }

            float[,]? image = ClusterErrors.ReadImage(this, cluster);
            if (image == null) return;
            if (_options.Labels) _options.Title = ClusterCaption.Lines(cluster);
            byte[] png = PngRenderer.Render(image, _options);

            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target) ?? ".");
                AtomicFile.Write(target, stream => stream.Write(png, 0, png.Length));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(new IOException($"Cannot write '{target}': {ex.Message}", ex), "ImageWriteFailed", ErrorCategory.WriteError, target));
                return;
            }

            _written.Add(target);
            if (PassThru)
            {
                WriteObject(SessionState.InvokeProvider.Item.Get(new[] { target }, false, true), true);
            }
        }

        /// <summary>The file for a cluster: the pattern with its tokens replaced, or &lt;batch base name&gt;_&lt;index&gt;.png in the folder.</summary>
        private string Target(Cluster cluster)
        {
            string batch = System.IO.Path.GetFileNameWithoutExtension(cluster.Batch.Name);
            string index = cluster.Index.ToString(CultureInfo.InvariantCulture);
            if (!_isPattern) return System.IO.Path.Combine(_resolved, batch + "_" + index + ".png");

            string plane = cluster.Plane ?? cluster.Batch.Plane ?? "unknown";
            return Token.Replace(_resolved, m => m.Groups[1].Value.ToUpperInvariant() switch
            {
                "BATCH" => batch,
                "INDEX" => index,
                _ => plane,
            });
        }
    }
}
