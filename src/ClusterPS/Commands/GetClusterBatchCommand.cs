using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>Get-ClusterBatch: one object per batch file, from headers and metadata only.</summary>
    [Cmdlet(VerbsCommon.Get, "ClusterBatch", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(ClusterBatch))]
    public sealed class GetClusterBatchCommand : BatchFileCommand
    {
        /// <summary>Only batches of these planes.</summary>
        [Parameter]
        [ValidateSet("U", "V", "X", IgnoreCase = true)]
        public string[]? Plane { get; set; }

        protected override string Activity => "Reading cluster batches";

        protected override void ProcessFile(string path, ClusterLayout? layout)
        {
            Enqueue(() =>
            {
                using BatchFile file = Open(path, layout);
                ClusterBatch batch = file.Batch;
                return () =>
                {
                    if (PlaneFilter.Accepts(Plane, batch.Plane)) WriteObject(batch);
                };
            });
        }
    }
}
