using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Get-ClusterHistogram: the distribution of one field (or the charge) over clusters from paths,
    /// batches or clusters, one histogram per group, binned as np.histogram bins; histograms piped
    /// in are merged per property and group.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ClusterHistogram", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(ClusterHistogram))]
    public sealed class GetClusterHistogramCommand : BatchFileCommand
    {
        private readonly List<ClusterHistogram> _merged = new List<ClusterHistogram>();
        private HistogramBuilder? _builder;
        private bool _read;

        /// <summary>The field to bin: ParticleEnergy, NuEnergy, Charge, PositionX … (tab-completed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [ArgumentCompleter(typeof(HistogramPropertyCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Property { get; set; }

        /// <summary>The number of equal-width bins (default 20).</summary>
        [Parameter]
        [ValidateRange(1, 10_000)]
        public int Bins { get; set; } = 20;

        /// <summary>The lower edge of the first bin; smaller values count as underflow. From the data when omitted.</summary>
        [Parameter]
        public double Minimum { get; set; }

        /// <summary>The upper edge of the last bin; larger values count as overflow. From the data when omitted.</summary>
        [Parameter]
        public double Maximum { get; set; }

        /// <summary>One histogram per class: Marley, Interaction, Plane or MainTrack.</summary>
        /// <remarks>A string, not the enum: a field of a ClusterPS.Format value type would make PowerShell load that
        /// library while it lists the module's cmdlets, before the module initializer can resolve it.</remarks>
        [Parameter]
        [ValidateSet("None", "Marley", "Interaction", "Plane", "MainTrack", IgnoreCase = true)]
        public string GroupBy { get; set; } = "None";

        protected override void BeginProcessing()
        {
            if (Property == null) return;
            var bound = MyInvocation.BoundParameters;
            try
            {
                _builder = new HistogramBuilder(Property, (HistogramGroupBy)Enum.Parse(typeof(HistogramGroupBy), GroupBy, ignoreCase: true), Bins,
                    bound.ContainsKey(nameof(Minimum)) ? Minimum : (double?)null,
                    bound.ContainsKey(nameof(Maximum)) ? Maximum : (double?)null);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidHistogramArgument", ErrorCategory.InvalidArgument, Property));
            }
        }

        protected override string Activity => "Binning clusters";

        /// <summary>Histograms merge; batches and clusters are binned.</summary>
        protected override void ProcessData(IClusterData item)
        {
            if (item is ClusterHistogram histogram) Merge(histogram);
            else base.ProcessData(item);
        }

        protected override void ProcessFile(string path, ClusterLayout? layout) => Bin(path, layout);

        /// <summary>Bins a cluster at once: counts do not depend on the order of the input.</summary>
        protected override void ProcessCluster(Cluster cluster) => Bin(cluster);

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (_builder != null && _read)
            {
                try
                {
                    foreach (ClusterHistogram histogram in _builder.Finish()) Merge(histogram);
                }
                catch (ArgumentException ex)
                {
                    WriteError(new ErrorRecord(ex, "HistogramRangeEmpty", ErrorCategory.InvalidArgument, Property));
                }
            }

            WriteObject(_merged, enumerateCollection: true);
        }

        private HistogramBuilder Builder()
        {
            if (_builder == null)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("Get-ClusterHistogram needs -Property to bin batches or clusters (only histograms merge without it)."),
                    "PropertyRequired", ErrorCategory.InvalidArgument, null));
            }

            return _builder!;
        }

        private void Bin(string path, ClusterLayout? layout)
        {
            HistogramBuilder builder = Builder();
            Enqueue(() =>
            {
                HistogramSample sample;
                using (BatchFile file = Open(path, layout)) sample = builder.Read(file, () => Stopping);
                return () => Add(sample);
            });
        }

        private void Bin(Cluster cluster)
        {
            try
            {
                Add(Builder().Read(cluster));
            }
            catch (NpzFormatException ex)
            {
                WriteFileError(ex);
            }
        }

        private void Add(HistogramSample sample)
        {
            _builder!.Add(sample);
            _read = true;
        }

        /// <summary>Adds a histogram to the one of its property and group, or keeps it as the first of its kind.</summary>
        private void Merge(ClusterHistogram histogram)
        {
            int i = _merged.FindIndex(h => h.Property == histogram.Property && h.Group == histogram.Group);
            if (i < 0)
            {
                _merged.Add(histogram);
                return;
            }

            try
            {
                _merged[i] = ClusterHistogram.Merge(_merged[i], histogram);
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, "HistogramEdgesDiffer", ErrorCategory.InvalidData, histogram));
            }
        }
    }
}
