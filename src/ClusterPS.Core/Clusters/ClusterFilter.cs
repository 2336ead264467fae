using System;
using System.Collections.Generic;
using System.Linq;

namespace ClusterPS
{
    /// <summary>
    /// Select-Cluster's conditions, combined with AND. Metadata conditions are decided on the raw
    /// metadata row, before any image byte is read; only <see cref="MinCharge"/> needs pixels.
    /// </summary>
    public sealed class ClusterFilter
    {
        /// <summary>true: Marley clusters only; false: non-Marley only; null: either.</summary>
        public bool? Marley { get; set; }
        public bool? MainTrack { get; set; }

        private string? _interaction;

        /// <summary>"ES" or "CC"; clusters whose interaction is unknown never match.</summary>
        public string? Interaction
        {
            get => _interaction;
            set => _interaction = value == null || value.Equals("ES", StringComparison.OrdinalIgnoreCase) || value.Equals("CC", StringComparison.OrdinalIgnoreCase)
                ? value?.ToUpperInvariant()
                : throw new ArgumentException($"'{value}' is not an interaction; use ES or CC.", nameof(value));
        }

        public ICollection<Plane>? Planes { get; set; }
        public double? MinEnergy { get; set; }
        public double? MaxEnergy { get; set; }

        /// <summary>Neutrino-energy bounds; clusters with unknown neutrino energy (-1) never match.</summary>
        public double? MinNuEnergy { get; set; }
        public double? MaxNuEnergy { get; set; }

        /// <summary>Keeps clusters whose <see cref="Cluster.Charge"/> is at least this.</summary>
        public double? MinCharge { get; set; }

        public bool NeedsCharge => MinCharge.HasValue;

        /// <summary>Decides every condition except the charge, from a metadata row.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public bool MatchesMetadata(ReadOnlySpan<float> row, ClusterLayout layout, Plane? batchPlane)
        {
            if (Marley.HasValue && !FlagIs(row, layout, ClusterField.IsMarley, Marley.Value)) return false;
            if (MainTrack.HasValue && !FlagIs(row, layout, ClusterField.IsMainTrack, MainTrack.Value)) return false;
            if (Interaction != null && !FlagIs(row, layout, ClusterField.IsES, Interaction == "ES"))
            {
                return false;
            }

            if (Planes != null && Planes.Count > 0)
            {
                Plane? plane = MetadataRules.PlaneOf(row, layout, batchPlane);
                if (plane == null || !Planes.Contains(plane.Value)) return false;
            }

            if (MinEnergy.HasValue || MaxEnergy.HasValue)
            {
                float e = Get(row, layout, ClusterField.ParticleEnergy);
                if (!(e >= MinEnergy.GetValueOrDefault(double.NegativeInfinity) && e <= MaxEnergy.GetValueOrDefault(double.PositiveInfinity))) return false;
            }

            if (MinNuEnergy.HasValue || MaxNuEnergy.HasValue)
            {
                float e = Get(row, layout, ClusterField.NuEnergy);
                if (MetadataRules.IsUnknownEnergy(e)) return false;
                if (!(e >= MinNuEnergy.GetValueOrDefault(double.NegativeInfinity) && e <= MaxNuEnergy.GetValueOrDefault(double.PositiveInfinity))) return false;
            }

            return true;
        }

        /// <summary>Decides every condition for a cluster already read (its charge is computed if needed).</summary>
        public bool Matches(Cluster cluster) =>
            MatchesMetadata(cluster.Metadata, cluster.ColumnLayout, cluster.Batch.WirePlane)
            && (!NeedsCharge || cluster.Charge >= MinCharge!.Value);

        private static bool FlagIs(ReadOnlySpan<float> row, ClusterLayout layout, ClusterField field, bool wanted)
        {
            float? v = layout.ValueOf(row, field);
            return v.HasValue && MetadataRules.IsSet(v.Value) == wanted;
        }

        /// <summary>A field's value, NaN when the layout lacks it (NaN matches no bound).</summary>
        private static float Get(ReadOnlySpan<float> row, ClusterLayout layout, ClusterField field) =>
            layout.ValueOf(row, field) ?? float.NaN;
    }
}
