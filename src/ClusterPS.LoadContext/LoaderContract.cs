using System;
using System.Reflection;

namespace ClusterPS.LoadContext
{
    /// <summary>
    /// The names by which ClusterPS.dll finds this loader and by which the loader tells ClusterPS's own
    /// assemblies apart. ClusterPS.dll (netstandard2.0) cannot reference this net8.0 assembly, so it
    /// finds <see cref="EntryType"/>.<see cref="EntryMethod"/> by name; this one file is compiled
    /// into ClusterPS.dll, into the loader and into the xUnit tests, and LoaderContractTests fails when
    /// a name here no longer matches the code it names.
    /// </summary>
    internal static class LoaderContract
    {
        /// <summary>The loader's assembly, in the module's bin/ folder.</summary>
        public const string AssemblyFile = "ClusterPS.LoadContext.dll";

        /// <summary>The class whose <see cref="EntryMethod"/> ClusterPS.dll calls on import.</summary>
        public const string EntryType = "ClusterPS.LoadContext.IsolatedLoadContext";

        /// <summary>public static void Register(string binDirectory).</summary>
        public const string EntryMethod = "Register";

        /// <summary>The library with every public type: loaded into the default context, so PowerShell can name its types.</summary>
        public const string CoreAssembly = "ClusterPS.Core";

        /// <summary>The only assembly that calls third-party libraries: loaded, with them, into ClusterPS's own context.</summary>
        public const string CodecsAssembly = "ClusterPS.Codecs";

        /// <summary>The loader's entry point in <paramref name="loader"/>; throws when it is not there.</summary>
        public static MethodInfo FindEntryPoint(Assembly loader) =>
            loader.GetType(EntryType, throwOnError: true)!
                .GetMethod(EntryMethod, BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null)
            ?? throw new MissingMethodException(EntryType, EntryMethod);
    }
}
