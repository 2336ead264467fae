using System;
using System.Collections.Generic;
using System.Management.Automation;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Select-Cluster: one object per cluster that passes every given filter, from batches, paths
    /// or clusters on the pipeline. Metadata filters decide before any image byte is read.
    /// </summary>
    [Cmdlet(VerbsCommon.Select, "Cluster", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(Cluster))]
    public sealed class SelectClusterCommand : BatchFileCommand
    {
        private const string Activity = "Selecting clusters";
        private ClusterFilter? _filter;

        /// <summary>Batches (from Get-ClusterBatch) or clusters (from Select-Cluster) to filter.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public IClusterData[] InputObject { get; set; } = Array.Empty<IClusterData>();

        /// <summary>Marley clusters only; -Marley:$false for non-Marley only.</summary>
        [Parameter]
        public SwitchParameter Marley { get; set; }

        /// <summary>Main-track clusters only; -MainTrack:$false for secondary clusters only.</summary>
        [Parameter]
        public SwitchParameter MainTrack { get; set; }

        /// <summary>ES (elastic scattering) or CC (charged current).</summary>
        [Parameter]
        [ValidateSet("ES", "CC", IgnoreCase = true)]
        public string? Interaction { get; set; }

        [Parameter]
        [ValidateSet("U", "V", "X", IgnoreCase = true)]
        public string[]? Plane { get; set; }

        /// <summary>Lowest particle energy (MeV), inclusive.</summary>
        [Parameter]
        public double MinEnergy { get; set; }

        /// <summary>Highest particle energy (MeV), inclusive.</summary>
        [Parameter]
        public double MaxEnergy { get; set; }

        /// <summary>Lowest neutrino energy (MeV); clusters with unknown neutrino energy never match.</summary>
        [Parameter]
        public double MinNuEnergy { get; set; }

        [Parameter]
        public double MaxNuEnergy { get; set; }

        /// <summary>Lowest charge (sum of pixels), inclusive.</summary>
        [Parameter]
        public double MinCharge { get; set; }

        protected override void BeginProcessing()
        {
            var bound = MyInvocation.BoundParameters;
            double? Bound(string name, double value) => bound.ContainsKey(name) ? value : (double?)null;
            _filter = new ClusterFilter
            {
                Marley = bound.ContainsKey(nameof(Marley)) ? Marley.IsPresent : (bool?)null,
                MainTrack = bound.ContainsKey(nameof(MainTrack)) ? MainTrack.IsPresent : (bool?)null,
                Interaction = Interaction,
                Planes = PlaneFilter.ToPlanes(Plane),
                MinEnergy = Bound(nameof(MinEnergy), MinEnergy),
                MaxEnergy = Bound(nameof(MaxEnergy), MaxEnergy),
                MinNuEnergy = Bound(nameof(MinNuEnergy), MinNuEnergy),
                MaxNuEnergy = Bound(nameof(MaxNuEnergy), MaxNuEnergy),
                MinCharge = Bound(nameof(MinCharge), MinCharge),
            };
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (IClusterData item in InputObject)
                {
                    switch (item)
                    {
                        case ClusterBatch batch:
                            SelectFrom(batch.Path, Layout ?? batch.ColumnLayout);
                            break;
                        case Cluster cluster:
                            if (Matches(cluster)) WriteObject(cluster);
                            break;
                        default:
                            WriteError(new ErrorRecord(new ArgumentException("Select-Cluster takes batches, clusters or paths; statistics hold no clusters."),
                                "UnsupportedInput", ErrorCategory.InvalidArgument, item));
                            break;
                    }
                }

                return;
            }

            foreach (ResolvedInput input in ResolveInputs())
            {
                for (int i = 0; i < input.Files.Count && !Stopping; i++)
                {
                    Progress(Activity, i, input.Files.Count, input.Files[i]);
                    SelectFrom(input.Files[i], null);
                }
            }
        }

        protected override void EndProcessing()
        {
            Drain();
            CompleteProgress(Activity);
        }

        private void SelectFrom(string path, ClusterLayout? layout)
        {
            if (Stopping) return;
            Enqueue(() =>
            {
                using BatchFile file = Open(path, layout);
                IReadOnlyList<Cluster> clusters = ClusterSelector.Select(file, _filter!, () => Stopping);
                return () =>
                {
                    foreach (Cluster cluster in clusters) WriteObject(cluster);
                };
            });
        }

        private bool Matches(Cluster cluster)
        {
            try
            {
                return _filter!.Matches(cluster);
            }
            catch (NpzFormatException ex)
            {
                WriteFileError(ex);
                return false;
            }
        }
    }
}
