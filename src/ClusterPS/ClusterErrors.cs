using System;
using System.Management.Automation;
using ClusterPS.Npz;

namespace ClusterPS.Commands
{
    /// <summary>The error records ClusterPS commands write for bad data, built in one place so every command reports them alike.</summary>
    internal static class ClusterErrors
    {
        /// <summary>A file's format error: category InvalidData, id ClusterPS.&lt;Code&gt;, the file as target.</summary>
        public static ErrorRecord Of(NpzFormatException ex) => new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidData, ex.Path);

        /// <summary>A piped, deserialized ClusterPS object whose fields cannot be rebuilt: that object's error; the command goes on with the rest.</summary>
        public static ErrorRecord Damaged(PipedObject.Damaged item) =>
            new ErrorRecord(item.Problem, "DamagedSerializedObject", ErrorCategory.InvalidData, item.Item);

        /// <summary>
        /// The cluster's image, or null after writing a non-terminating error: 'ClusterHasNoImage' for a
        /// cluster from a metadata-only file, the format error's id when the image cannot be read.
        /// </summary>
        public static float[,]? ReadImage(Cmdlet cmdlet, Cluster cluster)
        {
            try
            {
                float[,]? image = cluster.Image;
                if (image != null) return image;
                cmdlet.WriteError(new ErrorRecord(
                    new InvalidOperationException($"Cluster {cluster.Index} of '{cluster.Path}' has no image: the file holds metadata only (no 'images' array)."),
                    "ClusterHasNoImage", ErrorCategory.ObjectNotFound, cluster));
            }
            catch (NpzFormatException ex)
            {
                cmdlet.WriteError(Of(ex));
            }

            return null;
        }
    }
}
