using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using ClusterPS.LoadContext;

namespace ClusterPS.Commands
{
    /// <summary>
    /// Runs when the module is imported. ClusterPS.dll sits alone in the module folder; its
    /// libraries live in bin/, where no one else probes. On PowerShell 7, ClusterPS.Codecs and the
    /// third-party libraries it wraps load into an isolated AssemblyLoadContext
    /// (ClusterPS.LoadContext.dll), so a session in which another module has loaded a different
    /// SharpZipLib still works, while ClusterPS.Core's public types stay in the default context;
    /// on Windows PowerShell everything is resolved from bin/ on demand.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string BinDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "bin");

        private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromBin;
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromBin;
                return;
            }

            // By the names in LoaderContract (one file, shared with the loader; LoaderContractTests
            // fails when they drift): this netstandard2.0 assembly cannot reference the net8.0 loader.
            Assembly loader = Assembly.LoadFrom(Path.Combine(BinDirectory, LoaderContract.AssemblyFile));
            LoaderContract.FindEntryPoint(loader).Invoke(null, new object[] { BinDirectory });
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromBin;
        }

        private static Assembly? ResolveFromBin(object? sender, ResolveEventArgs args)
        {
            string path = Path.Combine(BinDirectory, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
