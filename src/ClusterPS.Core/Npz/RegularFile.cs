using System;
using System.Runtime.InteropServices;
using System.Text;

namespace ClusterPS.Npz
{
    /// <summary>
    /// Whether a path names a regular file, asked without opening it: opening a FIFO for reading
    /// blocks until a writer comes, and .NET reports FIFOs, devices and sockets as plain files
    /// (<c>FileAttributes.Normal</c>, length 0). On Unix this asks stat(2) through the runtime's own
    /// native shim, <c>SystemNative_Stat</c> in libSystem.Native, which .NET's File APIs call too;
    /// its <c>FileStatus</c> starts with <c>int32 Flags, int32 Mode</c> on every platform. On
    /// Windows, and wherever the shim is missing, every file counts as regular.
    /// </summary>
    internal static class RegularFile
    {
        private const int TypeMask = 0xF000;

        /// <summary>What kind of non-regular file <paramref name="path"/> is ("a FIFO (named pipe)", ...), or null for a regular file, a directory or a path that stat cannot see.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static string? NonRegularKind(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            var status = new byte[256]; // FileStatus is about 120 bytes; room to spare if it grows
            try
            {
                if (Stat(Encoding.UTF8.GetBytes(path + "\0"), status) != 0) return null;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }

            switch (BitConverter.ToInt32(status, 4) & TypeMask)
            {
                case 0x1000: return "a FIFO (named pipe)";
                case 0x2000: return "a character device";
                case 0x6000: return "a block device";
                case 0xC000: return "a socket";
                default: return null;
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        private static extern int Stat(byte[] utf8Path, [Out] byte[] output);
    }
}
