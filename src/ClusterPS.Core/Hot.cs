using System.Runtime.CompilerServices;

namespace ClusterPS
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization (512), which netstandard2.0's enum lacks but every
    /// .NET Core runtime honours: the method is compiled fully optimized at once instead of
    /// starting as tiered, instrumented code. Measured here, per-row and per-pixel loops ran 2-4
    /// times slower for the whole of a PowerShell session without it. For the loops that run once
    /// per cluster or per pixel only.
    /// </summary>
    internal static class Hot
    {
        public const MethodImplOptions Loop = (MethodImplOptions)512;
    }
}
