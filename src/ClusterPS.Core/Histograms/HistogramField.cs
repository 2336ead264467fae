using System;
using System.Collections.Generic;
using System.Linq;

namespace ClusterPS
{
    /// <summary>The classes a histogram can be split by.</summary>
    public enum HistogramGroupBy
    {
        None,
        Marley,
        Interaction,
        Plane,
        MainTrack,
    }

    /// <summary>
    /// What a histogram counts: a metadata field or the charge (sum of pixels), read from a metadata
    /// row; and which group a cluster falls in.
    /// </summary>
    public static class HistogramField
    {
        public const string Charge = "Charge";

        /// <summary>The properties a histogram can be made of: every metadata field, and Charge.</summary>
        public static IReadOnlyList<string> Names { get; } =
            new[] { "ParticleEnergy", "NuEnergy", Charge }
                .Concat(Enum.GetNames(typeof(ClusterField)).Where(n => n != "ParticleEnergy" && n != "NuEnergy"))
                .ToArray();

        /// <summary>The group names of a grouping, in the order histograms are emitted.</summary>
        public static IReadOnlyList<string> GroupNames(HistogramGroupBy groupBy) => groupBy switch
        {
            HistogramGroupBy.Marley => new[] { "Marley", "Background" },
            HistogramGroupBy.Interaction => new[] { "ES", "CC", "Unknown" },
            HistogramGroupBy.Plane => new[] { "U", "V", "X", "Unknown" },
            HistogramGroupBy.MainTrack => new[] { "MainTrack", "Secondary" },
            _ => new[] { "All" },
        };

        /// <summary>The property's name as written in <see cref="Names"/>, or null when it is none.</summary>
        public static string? Canonical(string? name) =>
            Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The metadata field of a property, or null for Charge.</summary>
        public static ClusterField? FieldOf(string property) =>
            property == Charge ? (ClusterField?)null : (ClusterField)Enum.Parse(typeof(ClusterField), property);

        /// <summary>
        /// A field's value in a metadata row, or NaN when the cluster has none: the layout lacks the
        /// field, or the neutrino energy is unknown (-1). A layout without a plane column takes the
        /// batch's plane, as <see cref="Cluster.PlaneId"/> does.
        /// </summary>
        public static double ValueOf(ReadOnlySpan<float> row, ClusterLayout layout, Plane? batchPlane, ClusterField field)
        {
            if (field == ClusterField.PlaneId && !layout.Has(ClusterField.PlaneId))
            {
                return batchPlane.HasValue ? (int)batchPlane.Value : double.NaN;
            }

            float? value = layout.ValueOf(row, field);
            if (value == null || (field == ClusterField.NuEnergy && value == -1f)) return double.NaN;
            return value.Value;
        }

        /// <summary>The index, in <see cref="GroupNames"/>, of the group a metadata row falls in.</summary>
        public static byte GroupOf(HistogramGroupBy groupBy, ReadOnlySpan<float> row, ClusterLayout layout, Plane? batchPlane)
        {
            switch (groupBy)
            {
                case HistogramGroupBy.Marley:
                    return layout.ValueOf(row, ClusterField.IsMarley) == 1f ? (byte)0 : (byte)1;
                case HistogramGroupBy.MainTrack:
                    return layout.ValueOf(row, ClusterField.IsMainTrack) == 1f ? (byte)0 : (byte)1;
                case HistogramGroupBy.Interaction:
                    float? es = layout.ValueOf(row, ClusterField.IsES);
                    return es == null ? (byte)2 : es == 1f ? (byte)0 : (byte)1;
                case HistogramGroupBy.Plane:
                    Plane? plane = MetadataRules.PlaneOf(row, layout, batchPlane);
                    return plane.HasValue ? (byte)plane.Value : (byte)3;
                default:
                    return 0;
            }
        }
    }
}
