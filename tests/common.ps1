# Shared setup for the Pester tests: dot-source it in each file's BeforeAll.
#
#     BeforeAll {
#         . (Join-Path $PSScriptRoot 'common.ps1')
#     }
#
# It imports the module that build.ps1 assembled in out/ClusterPS/<version>/, so the
# tests see exactly what a user installs. 'build.ps1 -Task Test' sets
# CLUSTERPS_MODULE_PATH; to run the tests by hand, build first and set it yourself:
#
#     $env:CLUSTERPS_MODULE_PATH = (Resolve-Path out/ClusterPS/*/ClusterPS.psd1).Path
#     Invoke-Pester tests/

$modulePath = $env:CLUSTERPS_MODULE_PATH
if (-not $modulePath) {
    throw 'CLUSTERPS_MODULE_PATH is not set. Run the tests with "dotnet pwsh ./build.ps1 -Task Test", or build and set it to the full path of out/ClusterPS/<version>/ClusterPS.psd1.'
}
if (-not (Test-Path -LiteralPath $modulePath -PathType Leaf)) {
    throw "CLUSTERPS_MODULE_PATH points to '$modulePath', which does not exist. Build the module first."
}
Import-Module -Name $modulePath -Force -ErrorAction Stop

function Get-ModuleManifestPath {
    # The full path of the built module's manifest, out/ClusterPS/<version>/ClusterPS.psd1.
    [IO.Path]::GetFullPath($env:CLUSTERPS_MODULE_PATH)
}

function Get-TestDataPath {
    # The full path of tests/data, or of a file or folder in it.
    param([string] $ChildPath)

    $path = Join-Path $PSScriptRoot 'data'
    if ($ChildPath) {
        $path = Join-Path $path $ChildPath
    }
    [IO.Path]::GetFullPath($path)
}

function Get-SamplesPath {
    # The full path of samples/ at the repository root, or of a file or folder in it.
    param([string] $ChildPath)

    $path = Join-Path (Split-Path -Parent $PSScriptRoot) 'samples'
    if ($ChildPath) {
        $path = Join-Path $path $ChildPath
    }
    [IO.Path]::GetFullPath($path)
}

function Invoke-FreshPwsh {
    # Runs a script in a new PowerShell process of the version running the tests and returns
    # its output (and error) lines as strings: for tests about a clean session.
    param([Parameter(Mandatory)][string] $Script)

    $pwsh = [Environment]::ProcessPath
    [string[]] $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
        # Under 'dotnet pwsh' the process is the dotnet host running pwsh.dll.
        $arguments = @(Join-Path $PSHOME 'pwsh.dll')
    }
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    & $pwsh @arguments -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
}
