using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ClusterPS
{
    /// <summary>
    /// Moves a file to a name only if no file has that name, atomically, so that writers in other
    /// processes or on other machines sharing the folder can never replace each other's files.
    /// On Unix this is a hard link then an unlink of the source (link(2) fails with EEXIST, also on
    /// NFS); .NET's File.Move checks and renames in two steps there, which races. On Windows,
    /// File.Move is MoveFileEx without MOVEFILE_REPLACE_EXISTING, which is atomic already.
    /// </summary>
    internal static class NoReplaceMove
    {
        private const int EEXIST = 17;

        /// <summary>Moves <paramref name="source"/> to <paramref name="target"/>; false, with the source left in place, when the target exists.</summary>
        public static bool TryMove(string source, string target)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return TryFileMove(source, target);

            int result;
            try
            {
                result = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LinuxLink(source, target) : UnixLink(source, target);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                // No glibc (musl, say): the best .NET offers.
                return TryFileMove(source, target);
            }

            if (result == 0)
            {
                File.Delete(source);
                return true;
            }

            // (On NFS a retransmitted link request can answer EEXIST for our own new link; telling that
            // apart needs the inodes, which .NET does not give. A length and write-time comparison
            // was tried and is wrong: batches of one size written in the same clock tick look alike.)
            if (Marshal.GetLastWin32Error() == EEXIST) return false;

            // A file system without hard links (some FUSE and SMB mounts): the best .NET offers.
            return TryFileMove(source, target);
        }

        private static bool TryFileMove(string source, string target)
        {
            try
            {
                File.Move(source, target);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        [DllImport("libc.so.6", EntryPoint = "link", SetLastError = true)]
        private static extern int LinuxLink(string oldPath, string newPath);

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int UnixLink(string oldPath, string newPath);
    }
}
