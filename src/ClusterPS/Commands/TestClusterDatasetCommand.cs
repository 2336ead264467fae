using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Test-ClusterDataset: the audit. Reads every byte of every batch file and emits one finding
    /// per problem; -Quiet returns a single boolean for scripts and CI.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ClusterDataset", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(AuditFinding))]
    [OutputType(typeof(bool))]
    public sealed class TestClusterDatasetCommand : BatchFileCommand
    {
        private const string Activity = "Auditing cluster dataset";
        private DatasetAuditor? _auditor;
        private bool _failed;

        /// <summary>Return only $true (no errors) or $false, instead of the findings.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>With -Quiet: warnings fail the dataset too.</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        protected override void BeginProcessing() => _auditor = new DatasetAuditor(Layout);

        protected override void ProcessRecord()
        {
            foreach (ResolvedInput input in ResolveInputs())
            {
                if (!input.IsFile) _auditor!.AddFolder(input.Path);
                for (int i = 0; i < input.Files.Count && !Stopping; i++)
                {
                    Progress(Activity, i, input.Files.Count, input.Files[i]);
                    Emit(_auditor!.AuditFile(input.Files[i], () => Stopping));
                }
            }
        }

        protected override void EndProcessing()
        {
            CompleteProgress(Activity);
            Emit(_auditor!.Finish());
            if (Quiet) WriteObject(!_failed && !HadMissingPaths);
        }

        private void Emit(IEnumerable<AuditFinding> findings)
        {
            foreach (AuditFinding finding in findings)
            {
                if (finding.Severity == DatasetAuditor.Error || (Strict && finding.Severity == DatasetAuditor.Warning)) _failed = true;
                if (!Quiet) WriteObject(finding);
            }
        }
    }
}
