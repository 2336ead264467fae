using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ClusterPS
{
    /// <summary>Sums over cluster images.</summary>
    internal static class PixelMath
    {
        /// <summary>The sum of <paramref name="pixels"/>, accumulated in double precision (SIMD where the machine has it).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static double Sum(ReadOnlySpan<float> pixels)
        {
            int i = 0;
            double total = 0;
            if (Vector.IsHardwareAccelerated && pixels.Length >= Vector<float>.Count * 2)
            {
                ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(pixels);
                Vector<double> a = Vector<double>.Zero, b = Vector<double>.Zero;
                foreach (Vector<float> v in vectors)
                {
                    Vector.Widen(v, out Vector<double> low, out Vector<double> high);
                    a += low;
                    b += high;
                }

                Vector<double> sum = a + b;
                for (int k = 0; k < Vector<double>.Count; k++) total += sum[k];
                i = vectors.Length * Vector<float>.Count;
            }

            for (; i < pixels.Length; i++) total += pixels[i];
            return total;
        }
    }
}
