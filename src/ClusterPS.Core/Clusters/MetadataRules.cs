using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ClusterPS
{
    /// <summary>
    /// What metadata values mean (SPEC section 1), one rule each: which plane ids are planes, what a
    /// flag holds, the neutrino-energy sentinel, how close to 1 a direction's length must be. The
    /// layout's plausibility check, the filters, the statistics, <see cref="Cluster"/> and the audit
    /// all ask here, so that no two of them can answer the same question differently.
    /// </summary>
    public static class MetadataRules
    {
        /// <summary>The neutrino energy a file writes when it is not available.</summary>
        public const float UnknownEnergy = -1f;

        /// <summary>How far from 1 a (non-zero) direction's length may be.</summary>
        public const double UnitTolerance = 1e-3;

        /// <summary>
        /// The plane a plane id names: exactly 0 (U), 1 (V) or 2 (X). Anything else (2.5, -1, NaN)
        /// names no plane; it is never rounded or truncated into one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Plane? PlaneOf(float planeId) =>
            planeId == 0f ? Plane.U : planeId == 1f ? Plane.V : planeId == 2f ? Plane.X : (Plane?)null;

        /// <summary>
        /// A cluster's plane: from its plane column when the layout has one (null when that value is
        /// not a plane id), else the batch's plane (from the file name).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Plane? PlaneOf(ReadOnlySpan<float> row, ClusterLayout layout, Plane? batchPlane)
        {
            if (!layout.Has(ClusterField.PlaneId)) return batchPlane;
            float? id = layout.ValueOf(row, ClusterField.PlaneId);
            return id.HasValue ? PlaneOf(id.Value) : null;
        }

        /// <summary>
        /// The plane ids, in plane order: exactly the values <see cref="PlaneOf(float)"/> reads as a
        /// plane, for checks that compare many values at once.
        /// </summary>
        public static IReadOnlyList<float> PlaneIds { get; } = new[] { 0f, 1f, 2f };

        /// <summary>The values a flag may hold: exactly those <see cref="IsFlag"/> accepts.</summary>
        public static IReadOnlyList<float> FlagValues { get; } = new[] { 0f, 1f };

        /// <summary>The plane id that names <paramref name="plane"/>.</summary>
        public static float PlaneId(Plane plane) => PlaneIds[(int)plane];

        /// <summary>Whether a flag column holds a valid flag: 0 or 1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsFlag(float value) => value == 0f || value == 1f;

        /// <summary>Whether a flag is set: exactly 1 (anything else reads as not set).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsSet(float flag) => flag == FlagSet;

        /// <summary>The value of a set flag.</summary>
        public const float FlagSet = 1f;

        /// <summary>Whether a neutrino energy is the "not available" sentinel (-1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsUnknownEnergy(float nuEnergy) => nuEnergy == UnknownEnergy;

        /// <summary>The neutrino energy a value stands for: null for the sentinel.</summary>
        public static float? NuEnergyOf(float nuEnergy) => IsUnknownEnergy(nuEnergy) ? (float?)null : nuEnergy;

        /// <summary>A negative neutrino energy other than the sentinel: a sentinel written wrong.</summary>
        public static bool IsBadNuEnergy(float nuEnergy) => nuEnergy < 0 && !IsUnknownEnergy(nuEnergy);

        /// <summary>A negative particle energy (particle energies have no sentinel).</summary>
        public static bool IsBadParticleEnergy(float particleEnergy) => particleEnergy < 0;

        /// <summary>Whether a direction of this length is a unit vector, or zero (unknown). NaN is left to the non-finite rule.</summary>
        public static bool IsUnitOrZero(double length) =>
            length == 0 || double.IsNaN(length) || Math.Abs(length - 1) <= UnitTolerance;
    }
}
