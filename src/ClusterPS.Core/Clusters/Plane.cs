namespace ClusterPS
{
    /// <summary>The detector's wire planes, with the ids the metadata uses.</summary>
    public enum Plane
    {
        /// <summary>Induction plane U (id 0).</summary>
        U = 0,

        /// <summary>Induction plane V (id 1).</summary>
        V = 1,

        /// <summary>Collection plane X (id 2).</summary>
        X = 2,
    }
}
