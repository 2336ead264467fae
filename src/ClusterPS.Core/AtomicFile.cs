using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using ClusterPS.Npz;

namespace ClusterPS
{
    /// <summary>Writing a file so that it either appears whole or not at all, and finding what killed writes left behind.</summary>
    public static class AtomicFile
    {
        /// <summary>
        /// How long a temporary file must have gone unwritten before an export removes it as a
        /// leftover. A live writer holds an exclusive lock on its temporary file, writes it without
        /// pause and renames it within seconds; but a writer on another machine of shared storage
        /// may hold a lock this machine cannot see, so an unlocked file must also be this old.
        /// </summary>
        public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

        /// <summary>".&lt;name&gt;.&lt;8 hex digits&gt;.tmp", the temporary name <see cref="Write"/> gives &lt;name&gt;.</summary>
        private static readonly Regex TempName = new Regex(@"^\.(?<target>.+)\.[0-9a-f]{8}\.tmp$", RegexOptions.CultureInvariant);

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
            // FileShare.None: an exclusive lock (flock on Unix) that tells Leftovers the file is being written.
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

        /// <summary>The name a temporary file of <see cref="Write"/> stands in for ("x.npz" for ".x.npz.1a2b3c4d.tmp"), or null when the name is not one.</summary>
        public static string? TargetOf(string fileName)
        {
            Match m = TempName.Match(fileName);
            return m.Success ? m.Groups["target"].Value : null;
        }

        /// <summary>
        /// The temporary files of <paramref name="directory"/> that writes which never finished left
        /// behind (a killed process, a power loss): named as <see cref="Write"/> names them, for a
        /// target <paramref name="isTarget"/> accepts, regular files, unwritten for at least
        /// <paramref name="minimumAge"/>, and held by no writer. Probing for a writer's lock takes
        /// it for an instant, so a file younger than a second is never probed: its writer may be
        /// between creating it and locking it.
        /// </summary>
        public static IEnumerable<FileInfo> Leftovers(string directory, TimeSpan minimumAge, Func<string, bool> isTarget)
        {
            if (minimumAge < TimeSpan.FromSeconds(1)) minimumAge = TimeSpan.FromSeconds(1);
            DateTime before = DateTime.UtcNow - minimumAge;
            foreach (FileInfo file in new DirectoryInfo(directory).EnumerateFiles(".*.tmp"))
            {
                string? target = TargetOf(file.Name);
                if (target == null || !isTarget(target) || file.LastWriteTimeUtc > before) continue;
                if (RegularFile.NonRegularKind(file.FullName) != null || IsLocked(file.FullName)) continue;
                yield return file;
            }
        }

        private static bool IsLocked(string path)
        {
            try
            {
                using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None)) return false;
            }
            catch (FileNotFoundException)
            {
                return true; // renamed or removed meanwhile: not a leftover
            }
            catch (IOException)
            {
                return true; // a sharing violation: a writer holds it
            }
            catch (UnauthorizedAccessException)
            {
                return false; // unreadable, but no writer's lock says it is in use
            }
        }
    }
}
