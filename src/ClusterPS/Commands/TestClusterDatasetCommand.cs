using System.Collections.Generic;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Test-ClusterDataset: the audit. Reads every byte of every batch file and emits one finding
    /// per problem; -Quiet returns a single boolean for scripts and CI.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ClusterDataset", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(AuditFinding))]
    [OutputType(typeof(bool))]
    public sealed class TestClusterDatasetCommand : BatchFileCommand
    {
        private DatasetAuditor? _auditor;
        private bool _failed;

        /// <summary>Return only $true (no errors) or $false, instead of the findings.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>With -Quiet: warnings fail the dataset too.</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        protected override string Activity => "Auditing cluster dataset";

        protected override void BeginProcessing() => _auditor = new DatasetAuditor(Layout);

        /// <summary>A folder the user named is also checked for leftovers of killed exports.</summary>
        protected override void ProcessInput(ResolvedInput input)
        {
            if (!input.IsFile) _auditor!.AddFolder(input.Path);
            base.ProcessInput(input);
        }

        /// <summary>Audits a file with the audit's own layout rules (-Layout or detection), whatever layout a piped batch was read with.</summary>
        protected override void ProcessFile(string path, ClusterLayout? layout) => Emit(_auditor!.AuditFile(path, () => Stopping));

        protected override void EndProcessing()
        {
            base.EndProcessing();
            Emit(_auditor!.Finish());
            if (Quiet) WriteObject(!_failed && !HadInputErrors);
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
