using System;
using System.IO;

namespace ClusterPS
{
    /// <summary>Writing a file so that it either appears whole or not at all.</summary>
    public static class AtomicFile
    {
        /// <summary>
        /// Writes <paramref name="path"/> through a temporary file in the same folder that is renamed
        /// over the target only once <paramref name="write"/> has finished. On any failure (or a
        /// stop) the temporary file is removed and an existing target is untouched. (No fsync: this
        /// guards against failed or stopped commands, as np.savez does, not against power loss.)
        /// </summary>
        public static void Write(string path, Action<Stream> write)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(file);
                }

                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            finally
            {
                try
                {
                    if (File.Exists(temp)) File.Delete(temp);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // The original failure is what the caller needs to see.
                }
            }
        }
    }
}
