namespace ClusterPS
{
    /// <summary>
    /// Marks the objects ClusterPS commands accept from the pipeline as data (batches, clusters,
    /// statistics), so that PowerShell binds them to -InputObject while strings and files bind to
    /// -Path and -LiteralPath.
    /// </summary>
    public interface IClusterData
    {
    }
}
