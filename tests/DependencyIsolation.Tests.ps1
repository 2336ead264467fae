# On PowerShell 7 ClusterPS loads its third-party dependencies into an AssemblyLoadContext of
# its own. These tests start a fresh pwsh in which "another module" has already loaded an
# older SharpZipLib (1.2.0, fetched by tools/TestPackages) into the default context, then
# import ClusterPS and use it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    }
    $script:OldSharpZipLib = Join-Path $packages 'sharpziplib' '1.2.0' 'lib' 'netstandard2.0' 'ICSharpCode.SharpZipLib.dll'

}

Describe 'Dependency isolation' {
    It 'has the older SharpZipLib the test needs' {
        $script:OldSharpZipLib | Should -Exist
    }

    It 'works in a session where another module already loaded SharpZipLib 1.2.0' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -LiteralPath '$script:OldSharpZipLib'
Import-Module '$(Get-ModuleManifestPath)'
'clusters=' + (Get-ClusterStatistics '$(Get-SamplesPath)').Clusters
'charged=' + @(Select-Cluster '$(Get-SamplesPath)' -MinCharge 100).Count
'typed=' + ((Get-ClusterStatistics '$(Get-SamplesPath)') -is [ClusterPS.ClusterStatistics])
[AppDomain]::CurrentDomain.GetAssemblies() |
    Where-Object { `$_.GetName().Name -in 'ICSharpCode.SharpZipLib', 'ClusterPS.Core', 'ClusterPS.Codecs', 'System.IO.Hashing' } |
    ForEach-Object { 'loaded=' + `$_.GetName().Name + '|' + `$_.GetName().Version.ToString(3) + '|' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'System.IO.Hashing' } |
    ForEach-Object { 'hashing=' + (Split-Path -Leaf (Split-Path -Parent `$_.Location)) }
"@
        $lines = Invoke-FreshPwsh $script

        $lines | Should -Contain 'clusters=450'
        $charged = @($lines | Where-Object { $_ -like 'charged=*' })
        $charged.Count | Should -Be 1 -Because 'the session must have run Select-Cluster -MinCharge'
        [int]($charged[0] -replace '^charged=') | Should -BeGreaterThan 0
        $lines | Should -Contain 'typed=True' -Because 'the public types must stay nameable in PowerShell'
        $lines | Should -Contain 'loaded=ICSharpCode.SharpZipLib|1.2.0|Default'
        $lines | Should -Contain 'loaded=ICSharpCode.SharpZipLib|1.4.2|ClusterPS'
        $version = (Import-PowerShellDataFile -LiteralPath (Get-ModuleManifestPath)).ModuleVersion
        $lines | Should -Contain "loaded=ClusterPS.Codecs|$version|ClusterPS"
        $lines | Should -Contain "loaded=ClusterPS.Core|$version|Default"
        $lines | Should -Contain 'loaded=System.IO.Hashing|10.0.0|ClusterPS' -Because 'the CRC-32 library is private to ClusterPS too'
        $lines | Should -Contain 'hashing=net8.0' -Because 'its netstandard2.0 build is 50 times slower (no vectorised CRC-32)'
    }

    It 'ships its dependencies in bin/, and only its own assemblies next to the manifest' {
        $moduleDir = Split-Path -Parent (Get-ModuleManifestPath)
        (Get-ChildItem -LiteralPath $moduleDir -Filter *.dll).Name | Sort-Object | Should -Be @('ClusterPS.Core.dll', 'ClusterPS.dll')
        Join-Path $moduleDir 'bin' 'ICSharpCode.SharpZipLib.dll' | Should -Exist
        Join-Path $moduleDir 'bin' 'ClusterPS.LoadContext.dll' | Should -Exist
        Join-Path $moduleDir 'bin' 'System.IO.Hashing.dll' | Should -Exist -Because 'Windows PowerShell loads the netstandard2.0 build'
        Join-Path $moduleDir 'bin' 'net8.0' 'System.IO.Hashing.dll' | Should -Exist
    }
}
