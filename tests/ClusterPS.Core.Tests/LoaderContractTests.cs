using System.IO;
using System.Reflection;
using ClusterPS.LoadContext;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>
    /// ClusterPS.dll finds the PowerShell 7 loader by the names in LoaderContract (it cannot reference
    /// it). These tests fail when a rename makes those names point at nothing, instead of the module
    /// failing only when it is imported.
    /// </summary>
    public class LoaderContractTests
    {
        [Fact]
        public void The_loader_entry_point_is_found_by_the_contract_names()
        {
            Assembly loader = typeof(IsolatedLoadContext).Assembly;
            Assert.Equal(LoaderContract.AssemblyFile, Path.GetFileName(loader.Location));
            MethodInfo entry = LoaderContract.FindEntryPoint(loader);
            Assert.Same(typeof(IsolatedLoadContext), entry.DeclaringType);
            Assert.Equal(typeof(void), entry.ReturnType);
        }

        [Fact]
        public void The_loader_knows_the_core_and_codecs_assemblies_by_their_real_names()
        {
            Assert.Equal(LoaderContract.CoreAssembly, typeof(Cluster).Assembly.GetName().Name);
            Assert.Equal(LoaderContract.CodecsAssembly, typeof(Codecs.ZipCodec).Assembly.GetName().Name);
        }
    }
}
