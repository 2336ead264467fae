using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// What the commands that write files share: -Path (a wildcard may name one existing item) and
    /// -LiteralPath (alias PSPath), resolved through the session to a FileSystem path before
    /// anything is written; any other provider is an error and nothing is written.
    /// </summary>
    public abstract class ExportCommand : PSCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Where to write.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Where to write, taken exactly as written (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = "";

        /// <summary>The file-system path that -Path or -LiteralPath names; <paramref name="what"/> says what is written there, for errors.</summary>
        protected string ResolveOutputPath(string what) =>
            ParameterSetName == LiteralPathSet
                ? SessionPaths.ResolveOutput(this, LiteralPath, literal: true, what)
                : SessionPaths.ResolveOutput(this, Path, literal: false, what);

        /// <summary>The output path as the user typed it.</summary>
        protected string OutputPathAsTyped => ParameterSetName == LiteralPathSet ? LiteralPath : Path;
    }
}
