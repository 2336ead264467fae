using System;
using System.Globalization;

namespace ClusterPS.Render
{
    /// <summary>The title the renderings print above a cluster image: where it came from, then its key metadata.</summary>
    public static class ClusterCaption
    {
        /// <summary>
        /// Two lines, e.g. "clusters_planeX_batch0000.npz [17]" and
        /// "plane X | Marley | main track | ES | E 12.3 MeV | Enu - | charge 1234.5".
        /// </summary>
        public static string[] Lines(Cluster cluster)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            string source = string.Format(CultureInfo.InvariantCulture, "{0} [{1}]", cluster.Batch.Name, cluster.Index);
            string details = string.Join(" | ",
                "plane " + (cluster.Plane ?? "?"),
                cluster.IsMarley ? "Marley" : "non-Marley",
                cluster.IsMainTrack ? "main track" : "secondary",
                cluster.Interaction,
                "E " + Energy(cluster.ParticleEnergy),
                "Enu " + (cluster.NuEnergy is float nu ? Energy(nu) : "-"),
                "charge " + cluster.Charge.ToString("0.#", CultureInfo.InvariantCulture));
            return new[] { source, details };
        }

        private static string Energy(float mev) =>
            float.IsNaN(mev) ? "?" : mev.ToString("0.##", CultureInfo.InvariantCulture) + " MeV";
    }
}
