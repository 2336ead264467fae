using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ClusterPS.LoadContext
{
    /// <summary>
    /// The load context for ClusterPS.Codecs and the third-party libraries it wraps (SharpZipLib,
    /// StbImageWriteSharp), read from the module's bin/ folder, so that another module's copy of
    /// those libraries cannot clash with ClusterPS's. ClusterPS.Core, which holds every public
    /// type, sits next to ClusterPS.dll and loads into the default context instead, where
    /// PowerShell resolves type names such as [ClusterPS.Cluster]. Assemblies the runtime provides
    /// (System.*) always come from the default context, except those shipped in bin/net8.0/.
    /// </summary>
    public sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private const string CoreFolder = "net8.0";
        private static readonly object Gate = new object();
        private static IsolatedLoadContext? _instance;
        private readonly string _directory;

        private IsolatedLoadContext(string directory)
            : base("ClusterPS", isCollectible: false)
        {
            _directory = directory;
        }

        /// <summary>
        /// Hooks the default context's failed look-ups of ClusterPS.Codecs. Called by ClusterPS.dll
        /// when the module is imported, by the names in <see cref="LoaderContract"/>; safe to call
        /// again on re-import.
        /// </summary>
        public static void Register(string directory)
        {
            lock (Gate)
            {
                if (_instance != null) return;
                _instance = new IsolatedLoadContext(directory);
                Default.Resolving += Resolve;
            }
        }

        /// <summary>
        /// bin/net8.0/ first: it holds the .NET builds of libraries whose netstandard2.0 build in bin/
        /// is for Windows PowerShell (System.IO.Hashing, whose CRC-32 is vectorised only there).
        /// Other System.* assemblies are the runtime's.
        /// </summary>
        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == null || name.Name == LoaderContract.CoreAssembly) return null;
            string core = Path.Combine(_directory, CoreFolder, name.Name + ".dll");
            if (File.Exists(core)) return LoadFromAssemblyPath(core);
            if (name.Name.StartsWith("System.", StringComparison.Ordinal)) return null;
            string path = Path.Combine(_directory, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == LoaderContract.CodecsAssembly ? _instance!.LoadFromAssemblyName(name) : null;
    }
}
