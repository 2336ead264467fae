using System;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Get-ClusterStatistics: the reference helper's dataset numbers as one object, from paths,
    /// batches, clusters, or other statistics (which are merged).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ClusterStatistics", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(ClusterStatistics))]
    public sealed class GetClusterStatisticsCommand : BatchFileCommand
    {
        private const string Activity = "Counting clusters";
        private readonly ClusterStatistics _statistics = new ClusterStatistics();

        /// <summary>Batches, clusters, or statistics objects to merge.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public IClusterData[] InputObject { get; set; } = Array.Empty<IClusterData>();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (IClusterData item in InputObject)
                {
                    switch (item)
                    {
                        case ClusterBatch batch:
                            Count(batch.Path, Layout ?? batch.ColumnLayout);
                            break;
                        case Cluster cluster:
                            _statistics.Add(cluster);
                            break;
                        case ClusterStatistics other:
                            _statistics.Add(other);
                            break;
                    }
                }

                return;
            }

            foreach (ResolvedInput input in ResolveInputs())
            {
                ResolvedInput source = input;
                for (int i = 0; i < input.Files.Count && !Stopping; i++)
                {
                    Progress(Activity, i, input.Files.Count, input.Files[i]);
                    Count(input.Files[i], null, source);
                }

                if (!input.IsFile) _statistics.AddSource(input.Path, isFile: false);
            }
        }

        protected override void EndProcessing()
        {
            Drain();
            CompleteProgress(Activity);
            WriteObject(_statistics);
        }

        /// <summary>Counts a file's metadata; a file the user named counts as a source once it was read.</summary>
        private void Count(string path, ClusterLayout? layout, ResolvedInput? namedFile = null)
        {
            Enqueue(() =>
            {
                BatchMetadata file = BatchFile.ReadMetadata(path, layout ?? Layout);
                return () =>
                {
                    _statistics.Add(file);
                    if (namedFile?.IsFile == true) _statistics.AddSource(path, isFile: true);
                };
            });
        }
    }
}
