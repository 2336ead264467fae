namespace ClusterPS
{
    /// <summary>One problem Test-ClusterDataset found.</summary>
    public sealed class AuditFinding
    {
        internal AuditFinding(string severity, string rule, string? path, int? index, int count, string message)
        {
            Severity = severity;
            Rule = rule;
            Path = path;
            Index = index;
            Count = count;
            Message = message;
        }

        /// <summary>"Error", "Warning" or "Info".</summary>
        public string Severity { get; }

        /// <summary>A stable rule id, e.g. "PlaneMismatch".</summary>
        public string Rule { get; }

        /// <summary>The file concerned, or null for a finding about the whole dataset.</summary>
        public string? Path { get; }

        /// <summary>The first cluster concerned (0-based), when the finding is about clusters.</summary>
        public int? Index { get; }

        /// <summary>How many clusters of the file the finding covers (1 for single problems).</summary>
        public int Count { get; }

        public string Message { get; }

        public override string ToString() => $"{Severity} {Rule}: {Message}";
    }
}
