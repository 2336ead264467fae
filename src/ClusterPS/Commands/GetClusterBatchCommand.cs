using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>Get-ClusterBatch: one object per batch file, from headers and metadata only.</summary>
    [Cmdlet(VerbsCommon.Get, "ClusterBatch", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ClusterBatch))]
    public sealed class GetClusterBatchCommand : BatchFileCommand
    {
        private const string Activity = "Reading cluster batches";

        /// <summary>Only batches of these planes.</summary>
        [Parameter]
        [ValidateSet("U", "V", "X", IgnoreCase = true)]
        public string[]? Plane { get; set; }

        protected override void ProcessRecord()
        {
            foreach (ResolvedInput input in ResolveInputs())
            {
                for (int i = 0; i < input.Files.Count && !Stopping; i++)
                {
                    string path = input.Files[i];
                    Progress(Activity, i, input.Files.Count, path);
                    Enqueue(() =>
                    {
                        ClusterBatch batch = BatchFile.ReadMetadata(path, Layout).Batch;
                        return () =>
                        {
                            if (PlaneFilter.Accepts(Plane, batch.Plane)) WriteObject(batch);
                        };
                    });
                }
            }
        }

        protected override void EndProcessing()
        {
            Drain();
            CompleteProgress(Activity);
        }
    }
}
