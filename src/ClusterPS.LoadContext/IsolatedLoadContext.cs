using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ClusterPS.LoadContext
{
    /// <summary>
    /// The load context holding ClusterPS.Format and its third-party dependencies, read from the
    /// module's bin/ folder. Assemblies the runtime itself provides (System.*) are left to the
    /// default context, so span and collection types stay the framework's own.
    /// </summary>
    public sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static IsolatedLoadContext? _instance;
        private readonly string _directory;

        private IsolatedLoadContext(string directory)
            : base("ClusterPS", isCollectible: false)
        {
            _directory = directory;
        }

        /// <summary>
        /// Routes the default context's failed look-ups of ClusterPS.Format to this context.
        /// Called by ClusterPS.dll when the module is imported; safe to call again on re-import.
        /// </summary>
        public static void Register(string directory)
        {
            lock (Gate)
            {
                if (_instance != null) return;
                _instance = new IsolatedLoadContext(directory);
                Default.Resolving += ResolveFormatLibrary;
            }
        }

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == null || name.Name.StartsWith("System.", StringComparison.Ordinal)) return null;
            string path = Path.Combine(_directory, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static Assembly? ResolveFormatLibrary(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == "ClusterPS.Format" ? _instance!.LoadFromAssemblyName(name) : null;
    }
}
