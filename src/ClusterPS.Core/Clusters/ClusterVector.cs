using System;
using System.Globalization;

namespace ClusterPS
{
    /// <summary>An (x, y, z) triple from the metadata: a position in cm, a direction or a momentum.</summary>
    public sealed class ClusterVector : IEquatable<ClusterVector>
    {
        public ClusterVector(float x, float y, float z)
        {
            X = x;
            Y = y;
            Z = z;
        }

        public float X { get; }
        public float Y { get; }
        public float Z { get; }

        /// <summary>The Euclidean length, in double precision.</summary>
        public double Length => Math.Sqrt((double)X * X + (double)Y * Y + (double)Z * Z);

        public bool Equals(ClusterVector? other) => other != null && other.X.Equals(X) && other.Y.Equals(Y) && other.Z.Equals(Z);
        public override bool Equals(object? obj) => Equals(obj as ClusterVector);
        public override int GetHashCode() => X.GetHashCode() * 31 * 31 ^ Y.GetHashCode() * 31 ^ Z.GetHashCode();

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "({0:G6}, {1:G6}, {2:G6})", X, Y, Z);
    }
}
