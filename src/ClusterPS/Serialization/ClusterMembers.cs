using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Management.Automation;

namespace ClusterPS.Commands
{
    /// <summary>
    /// The getters of the hidden properties that module/ClusterPS.Types.ps1xml adds to ClusterPS
    /// objects: the structured and expensive members (pixels, vectors, the batch) that tables, CSV
    /// and JSON leave out, and the merge state that statistics carry across serialization.
    /// PowerShell calls them as <c>$cluster.Image</c>, <c>$cluster.Charge</c> and so on.
    /// </summary>
    public static class ClusterMembers
    {
        public static ClusterBatch Batch(PSObject instance) => Of<Cluster>(instance).Batch;
        public static ClusterVector? Position(PSObject instance) => Of<Cluster>(instance).Position;
        public static ClusterVector? Direction(PSObject instance) => Of<Cluster>(instance).Direction;
        public static ClusterVector? Momentum(PSObject instance) => Of<Cluster>(instance).Momentum;
        public static ImageShape? ImageShape(PSObject instance) => Of<Cluster>(instance).ImageShape;

        /// <summary>The image as [tick, channel]; reads the cluster's file on first use.</summary>
        public static float[,]? Image(PSObject instance) => Of<Cluster>(instance).Image;

        /// <summary>The sum of the image's pixels; reads the cluster's file on first use unless a charge filter already summed it.</summary>
        public static double Charge(PSObject instance) => Of<Cluster>(instance).Charge;

        /// <summary>The raw metadata row, in the file's own column order.</summary>
        public static float[] Metadata(PSObject instance) => Of<Cluster>(instance).Metadata;

        /// <summary>
        /// What a serialized cluster carries besides its Path and Index, as one line: its batch without
        /// the path (see ClusterBatch.Serialize), ';', and its metadata row as base64 of its float32
        /// values (exact). One string: each extended property a cluster serializes costs about 20 µs
        /// per cluster in a fresh job process.
        /// </summary>
        public static string Source(PSObject instance)
        {
            Cluster cluster = Of<Cluster>(instance);
            return cluster.Batch.Serialize() + ";" + Convert.ToBase64String(MemoryMarshal.AsBytes(cluster.Metadata.AsSpan()).ToArray());
        }

        /// <summary>A batch's layout as text that can be read back (a built-in name, or a custom column map).</summary>
        public static string LayoutDefinition(PSObject instance) => Of<ClusterBatch>(instance).ColumnLayout?.Definition ?? "";

        /// <summary>A batch's file identity as text (see BatchFileStamp): a batch that travelled still reads pixels only from the file it describes.</summary>
        public static string FileStamp(PSObject instance) => Of<ClusterBatch>(instance).Stamp.Serialize();

        /// <summary>What statistics counted per file, as text: what a merge needs after a job or remote session.</summary>
        public static string[] Tallies(PSObject instance) => Of<ClusterStatistics>(instance).Tallies.Select(t => t.ToString()).ToArray();

        /// <summary>The inputs the statistics' user named (directories or files).</summary>
        public static string[] NamedSources(PSObject instance) => Of<ClusterStatistics>(instance).Sources.ToArray();

        public static bool SingleFileSource(PSObject instance) => Of<ClusterStatistics>(instance).SingleFileSource;

        private static T Of<T>(PSObject instance) => (T)instance.BaseObject;
    }
}
