using System;
using System.Management.Automation;
using ClusterPS.Render;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Show-Cluster: a cluster image as a viridis heat map in the terminal (channels across, time
    /// ticks up), one string per cluster so it can be captured or redirected. Plain text, with no
    /// escape sequence, under -Plain, $PSStyle.OutputRendering = 'PlainText' or $env:NO_COLOR.
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "Cluster")]
    [OutputType(typeof(string))]
    public sealed class ShowClusterCommand : PSCmdlet
    {
        private bool _color;

        /// <summary>Clusters to show (from Select-Cluster).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public Cluster[] InputObject { get; set; } = Array.Empty<Cluster>();

        /// <summary>Plain text: a character ramp instead of ANSI colours.</summary>
        [Parameter]
        public SwitchParameter Plain { get; set; }

        protected override void BeginProcessing() => _color = !Plain && !NoColorRequested() && !PlainTextRendering();

        protected override void ProcessRecord()
        {
            foreach (Cluster cluster in InputObject)
            {
                if (Stopping) return;
                if (cluster == null) continue;
                float[,]? image = ClusterErrors.ReadImage(this, cluster);
                if (image == null) continue;
                WriteObject(TerminalRenderer.Render(image, ClusterCaption.Lines(cluster), _color));
            }
        }

        /// <summary>https://no-color.org: NO_COLOR set to anything but an empty string.</summary>
        private static bool NoColorRequested() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

        /// <summary>True when $PSStyle.OutputRendering is 'PlainText' (PowerShell 7.2 and later; 5.1 has no $PSStyle).</summary>
        private bool PlainTextRendering()
        {
            object? style = SessionState.PSVariable.GetValue("PSStyle");
            if (style == null) return false;
            object? rendering = PSObject.AsPSObject(style).Properties["OutputRendering"]?.Value;
            return string.Equals(rendering?.ToString(), "PlainText", StringComparison.OrdinalIgnoreCase);
        }
    }
}
