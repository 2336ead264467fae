using System;
using System.Collections.Generic;
using System.Linq;

namespace ClusterPS.Commands
{
    /// <summary>The -Plane parameter's values, as the core's plane set.</summary>
    internal static class PlaneFilter
    {
        public static ICollection<Plane>? ToPlanes(string[]? names) =>
            names == null || names.Length == 0
                ? null
                : new HashSet<Plane>(names.Select(n => (Plane)Enum.Parse(typeof(Plane), n, ignoreCase: true)));

        public static bool Accepts(string[]? names, string? plane) =>
            names == null || names.Length == 0 || (plane != null && names.Contains(plane, StringComparer.OrdinalIgnoreCase));
    }
}
