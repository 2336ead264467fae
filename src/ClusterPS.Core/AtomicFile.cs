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
        public static void Write(string path, Action<Stream> write) =>
            WriteThenPublish(path, write, temp =>
            {
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            });

        /// <summary>
        /// Writes a new file that takes the first free name of a numbered series, never replacing a
        /// file: the data goes to a temporary file, which then claims <c>nameOf(first)</c>,
        /// <c>nameOf(first + 1)</c>, ... by a move that fails when the name exists
        /// (<see cref="NoReplaceMove"/>), so the claim is atomic even against writers on other
        /// machines sharing the folder. Returns the number claimed.
        /// </summary>
        public static int WriteNew(string directory, Func<int, string> nameOf, int first, Action<Stream> write)
        {
            int claimed = first;
            WriteThenPublish(Path.Combine(directory, nameOf(first)), write, temp =>
            {
                while (!NoReplaceMove.TryMove(temp, Path.Combine(directory, nameOf(claimed)))) claimed++;
            });
            return claimed;
        }

        private static void WriteThenPublish(string path, Action<Stream> write, Action<string> publish)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(file);
                }

                publish(temp);
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
