using System.Runtime.CompilerServices;

namespace ClusterPS
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization (512), which netstandard2.0's enum lacks but every
    /// .NET Core runtime honours: the method is compiled fully optimized at its first call instead
    /// of going through the tiers (ReadyToRun or tier-0 code, then instrumented code, then tier 1).
    /// For the code that every file read, every metadata row or every pixel runs through: the
    /// read path of a batch file, the statistics' count, the read-ahead queue, per-row and
    /// per-pixel loops. Measured here: per-row and per-pixel loops ran 2-4 times slower for the
    /// whole of a PowerShell session without it; with it on the read path too,
    /// Get-ClusterStatistics on the 202 files of the benchmark set took about 10 ms per call over
    /// a session's first calls instead of about 16 (PowerShell's own steady JIT work keeps
    /// methods in the instrumented tier for many calls), for about 40 ms more on the first call
    /// of a session (the JIT compiling these methods).
    /// </summary>
    internal static class Hot
    {
        public const MethodImplOptions Path = (MethodImplOptions)512;
    }
}
