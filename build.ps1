#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, packages and cleans the ClusterPS module.

.DESCRIPTION
    The one entry point for working on ClusterPS. Run it with the PowerShell pinned in
    .config/dotnet-tools.json:

        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Test

    Tasks:
      Build    Compile src/ and assemble out/ClusterPS/<version>/: everything in module/
               plus the module's binaries. That folder is exactly what gets published.
      Test     Build, run the xUnit tests, then the Pester tests (tests/*.Tests.ps1) in a
               fresh PowerShell process against the built module. Ends with the line
               'N passed, N failed' (', N skipped' follows when tests were skipped) and
               exits 1 when a test failed, or a test runner did not run or found no tests.
      Demo     Build, then run the main job on the shipped samples/ in a new session:
               dataset statistics, the batches, a few selected clusters, the audit.
      Package  Build, then publish out/ClusterPS/<version> to a local file repository,
               producing out/repo/ClusterPS.<version>.nupkg.
      Clean    Remove out/ and every bin/ and obj/ folder.

.PARAMETER Task
    The task to run. Defaults to Build.

.PARAMETER Configuration
    The .NET build configuration. Defaults to Release.

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ModuleName = 'ClusterPS'
$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$ModuleSourceDir = Join-Path $RepoRoot 'module'
$ManifestSourcePath = Join-Path $ModuleSourceDir "$ModuleName.psd1"

$CoreProject = Join-Path $RepoRoot 'src' 'ClusterPS.Core'
$CmdletProject = Join-Path $RepoRoot 'src' 'ClusterPS'
$LoadContextProject = Join-Path $RepoRoot 'src' 'ClusterPS.LoadContext'
$XunitProject = Join-Path $RepoRoot 'tests' 'ClusterPS.Core.Tests'
$PesterTestsDir = Join-Path $RepoRoot 'tests'
$PesterProject = Join-Path $RepoRoot 'tools' 'TestPackages' 'TestPackages.csproj'
$PesterVersion = '5.7.1'
$ReadyToRunProject = Join-Path $RepoRoot 'tools' 'ReadyToRun' 'ReadyToRun.csproj'

# The module's assemblies that are precompiled (ReadyToRun) for linux-x64: ClusterPS's own and the
# libraries every read or report runs through. Relative to the module folder.
$ReadyToRunAssemblies = @(
    "$ModuleName.dll"
    "$ModuleName.Core.dll"
    'bin/ClusterPS.Codecs.dll'
    'bin/ICSharpCode.SharpZipLib.dll'
    'bin/net8.0/System.IO.Hashing.dll'
    'bin/OxyPlot.dll'
    'bin/StbImageWriteSharp.dll'
)
$LocalRepositoryName = 'ClusterPSLocal'

# Files in the publish output that must not ship: PowerShell provides its own
# System.Management.Automation (we compile against PowerShellStandard.Library only),
# and symbols and .deps.json files are build by-products.
# ClusterPS's own assemblies that go next to the manifest: ClusterPS.dll, and ClusterPS.Core.dll,
# which holds the public types that ClusterPS.Types.ps1xml names (PowerShell reads that file
# before ClusterPS.dll's module initializer runs, so these must resolve without its help).
$ModuleRootAssemblies = @("$ModuleName.dll", "$ModuleName.Core.dll")

$ExcludedFromModule = @(
    '*.pdb'
    '*.deps.json'
    'System.Management.Automation.dll'
    'Microsoft.PowerShell.*.dll'
)

#region Helpers

function Invoke-DotNet {
    # Runs the dotnet CLI, shows its output, and turns a non-zero exit code into an error.
    param(
        [Parameter(Mandatory, ValueFromRemainingArguments)]
        [string[]] $ArgumentList
    )

    Write-Host "> dotnet $ArgumentList" -ForegroundColor Cyan
    & dotnet @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "'dotnet $ArgumentList' failed with exit code $LASTEXITCODE."
    }
}

function Get-ProjectTargetPath {
    # The assembly a project builds, as MSBuild itself computes it (target framework,
    # configuration, output folder), so no path here has to repeat the project's settings.
    param([Parameter(Mandatory)][string] $Project)

    $path = & dotnet msbuild $Project -nologo "-getProperty:TargetPath" "-property:Configuration=$Configuration"
    if ($LASTEXITCODE -ne 0 -or -not $path) {
        throw "'dotnet msbuild $Project -getProperty:TargetPath' failed with exit code $LASTEXITCODE."
    }
    $path = "$path".Trim()
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "MSBuild says $Project builds $path, which does not exist after the build."
    }
    $path
}

function Get-ModuleVersion {
    # module/ClusterPS.psd1 is the one place the module version is written down.
    (Import-PowerShellDataFile -LiteralPath $ManifestSourcePath).ModuleVersion
}

function Get-ModuleOutputDir {
    # out/ClusterPS/<version>: the folder that is tested and published.
    Join-Path $OutDir $ModuleName (Get-ModuleVersion)
}

function Get-NuGetPackagesDir {
    # Where 'dotnet restore' puts packages, e.g. ~/.nuget/packages/ (honours NUGET_PACKAGES).
    $listing = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) {
        throw "'dotnet nuget locals global-packages --list' failed with exit code $LASTEXITCODE."
    }
    $line = @($listing) -match '^global-packages:' | Select-Object -First 1
    if (-not $line) {
        throw "Could not find the NuGet global packages folder in: $listing"
    }
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-PwshCommand {
    # The command that starts a new process of the PowerShell running this script.
    # Under 'dotnet pwsh' the process is the dotnet host running pwsh.dll from $PSHOME.
    $processPath = [Environment]::ProcessPath
    $processName = [IO.Path]::GetFileNameWithoutExtension($processPath)
    if ($processName -eq 'dotnet') {
        return [pscustomobject]@{ FilePath = $processPath; Arguments = @(Join-Path $PSHOME 'pwsh.dll') }
    }
    if ($processName -ne 'pwsh') {
        # Some other host (an editor, an embedding application): use the pwsh beside it.
        $processPath = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    }
    [pscustomobject]@{ FilePath = $processPath; Arguments = @() }
}

function ConvertTo-PSLiteral {
    # Quotes a string as a single-quoted PowerShell literal.
    param([Parameter(Mandatory)][string] $Value)
    "'" + $Value.Replace("'", "''") + "'"
}

function New-TestRunResult {
    param(
        [Parameter(Mandatory)][string] $Runner,
        [bool] $Ran = $true,
        [int] $Passed = 0,
        [int] $Failed = 0,
        [int] $Skipped = 0,
        [string] $Problem = ''
    )
    [pscustomobject]@{
        Runner  = $Runner
        Ran     = $Ran
        Passed  = $Passed
        Failed  = $Failed
        Skipped = $Skipped
        Problem = $Problem
    }
}

function Set-ReleaseNotes {
    # Puts this version's section of CHANGELOG.md into the built manifest's ReleaseNotes,
    # so the Gallery shows what changed; module/ClusterPS.psd1 itself keeps a placeholder.
    param([Parameter(Mandatory)][string] $ManifestPath, [Parameter(Mandatory)][string] $Version)

    $changelog = Get-Content -LiteralPath (Join-Path $RepoRoot 'CHANGELOG.md') -Raw
    $section = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($Version))\][^\n]*\n(.*?)(?=^## \[|\z)")
    if (-not $section.Success) {
        throw "CHANGELOG.md has no section for version $Version."
    }
    $notes = "$Version`n" + $section.Groups[1].Value.Trim()
    $manifest = Get-Content -LiteralPath $ManifestPath -Raw
    $literal = "'" + $notes.Replace("'", "''") + "'"
    $updated = [regex]::Replace($manifest, "ReleaseNotes\s*=\s*'[^']*'", { param($m) "ReleaseNotes = $literal" })
    Set-Content -LiteralPath $ManifestPath -Value $updated -NoNewline -Encoding utf8
}

#endregion

#region Tasks

function Invoke-ReadyToRun {
    # Precompiles the module's assemblies into ReadyToRun images for linux-x64 with crossgen2, the
    # compiler 'dotnet publish -p:PublishReadyToRun=true' uses. Without it, the code every file read
    # runs (ours, SharpZipLib's, System.IO.Hashing's vectorised CRC-32) starts as unoptimised tier-0
    # code that PowerShell's own steady JIT work keeps from being promoted: measured here,
    # Get-ClusterStatistics on 202 files took about 25 ms per call for the first calls instead of 12.
    # An image keeps its IL, so it still loads (and is JIT-compiled) on any other platform.
    # The code is compiled for x86-64-v3 (AVX2, as the JIT uses on such machines; a processor without
    # it ignores the precompiled code and JIT-compiles instead). Compiled for the default baseline,
    # the precompiled methods ran as legacy SSE code between JIT-compiled AVX code: measured here,
    # a 10-instruction method (ValueRange.Add) took 30 % of the statistics' counting, and
    # Get-ClusterStatistics on 202 stored files took 11-12 ms per call in a fresh session against 8-9.
    # Built elsewhere than on linux-x64, or where the package feed lacks crossgen2 of the build's
    # runtime version, the module is left as IL only, with a warning.
    param([Parameter(Mandatory)][string] $ModuleDir)

    if (-not $IsLinux -or [Runtime.InteropServices.RuntimeInformation]::OSArchitecture -ne 'X64') {
        Write-Warning 'ReadyToRun precompilation needs a linux-x64 build machine; the module is left as IL only.'
        return
    }

    # crossgen2 of the runtime this build runs on, compiling against that runtime's own framework.
    # A feed without that version leaves a working, slower-starting module, not a failed build.
    $runtimeVersion = [Environment]::Version.ToString(3)
    try {
        Invoke-DotNet restore $ReadyToRunProject "-p:Crossgen2Version=$runtimeVersion" --nologo
    }
    catch {
        Write-Warning "Could not fetch crossgen2 $runtimeVersion ($($_.Exception.Message)); the module is left as IL only, so the first calls of a session run slower."
        return
    }
    $crossgen = Join-Path (Get-NuGetPackagesDir) 'microsoft.netcore.app.crossgen2.linux-x64' $runtimeVersion 'tools' 'crossgen2'
    if (-not (Test-Path -LiteralPath $crossgen)) {
        throw "crossgen2 $runtimeVersion was not found at $crossgen after restoring $ReadyToRunProject."
    }

    $framework = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $inputs = $ReadyToRunAssemblies | ForEach-Object { Join-Path $ModuleDir $_ }
    # References: the framework, every assembly of the module, and PowerShell's own engine (the
    # module compiles against PowerShellStandard.Library's reference assembly only).
    $references = @((Join-Path $framework '*.dll'), (Join-Path $PSHOME 'System.Management.Automation.dll')) + $inputs
    $referenceArgs = $references | ForEach-Object { '-r'; $_ }
    Write-Host "ReadyToRun: compiling $($inputs.Count) assemblies with crossgen2 $runtimeVersion" -ForegroundColor Cyan
    foreach ($assembly in $inputs) {
        $image = "$assembly.r2r"
        $output = & $crossgen $assembly -o $image -O --targetos linux --targetarch x64 --instruction-set x86-64-v3 @referenceArgs 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "crossgen2 failed on ${assembly} with exit code ${LASTEXITCODE}: $($output -join "`n")"
        }
        Move-Item -LiteralPath $image -Destination $assembly -Force
    }
}

function Invoke-BuildTask {
    $version = Get-ModuleVersion
    Write-Host "Building $ModuleName $version ($Configuration)" -ForegroundColor Green

    Invoke-DotNet build $CoreProject --configuration $Configuration --nologo
    Invoke-DotNet build $CmdletProject --configuration $Configuration --nologo
    Invoke-DotNet build $LoadContextProject --configuration $Configuration --nologo

    # A library's build output holds only its own assemblies; 'publish' also gathers the
    # package dependencies (SharpZipLib, System.Memory, ...) that Windows PowerShell needs
    # next to ClusterPS.dll.
    $publishDir = Join-Path $CmdletProject 'bin' $Configuration 'publish'
    if (Test-Path -LiteralPath $publishDir) {
        Remove-Item -LiteralPath $publishDir -Recurse -Force
    }
    Invoke-DotNet publish $CmdletProject --configuration $Configuration --no-build --output $publishDir --nologo

    # Start from an empty version folder so it holds exactly what would be published.
    $moduleDir = Get-ModuleOutputDir
    if (Test-Path -LiteralPath $moduleDir) {
        Remove-Item -LiteralPath $moduleDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $moduleDir -Force

    # Everything in module/: manifest, format files, en-US help, ...
    Copy-Item -Path (Join-Path $ModuleSourceDir '*') -Destination $moduleDir -Recurse
    Set-ReleaseNotes -ManifestPath (Join-Path $moduleDir "$ModuleName.psd1") -Version $version

    # The binaries. ClusterPS.dll and ClusterPS.Core.dll go next to the manifest; every dependency goes to
    # bin/, where PowerShell does not probe, so that ClusterPS.dll's module initializer can
    # load them into ClusterPS's own AssemblyLoadContext on PowerShell 7 (see
    # src/ClusterPS/ModuleInitializer.cs and src/ClusterPS.LoadContext).
    $binDir = Join-Path $moduleDir 'bin'
    $null = New-Item -ItemType Directory -Path $binDir -Force
    $loadContextDll = Get-ProjectTargetPath $LoadContextProject
    $binaries = @(Get-ChildItem -LiteralPath $publishDir -File -Recurse) + @(Get-Item -LiteralPath $loadContextDll) | Where-Object {
        $name = $_.Name
        -not ($ExcludedFromModule | Where-Object { $name -like $_ })
    }
    foreach ($file in $binaries) {
        # Sub-folders of the publish output stay sub-folders of bin/ (net8.0/: the builds of a
        # library that PowerShell 7 should load instead of its netstandard2.0 build).
        $relative = $file.FullName.StartsWith($publishDir) ? [IO.Path]::GetRelativePath($publishDir, $file.DirectoryName) : '.'
        $target = $file.Name -in $ModuleRootAssemblies ? $moduleDir : (Join-Path $binDir $relative)
        $null = New-Item -ItemType Directory -Path $target -Force
        Copy-Item -LiteralPath $file.FullName -Destination $target
    }

    Invoke-ReadyToRun -ModuleDir $moduleDir

    # The manifest and the assembly should carry the same version.
    $rootAssembly = Join-Path $moduleDir "$ModuleName.dll"
    if (-not (Test-Path -LiteralPath $rootAssembly)) {
        throw "The build did not produce $ModuleName.dll in $publishDir."
    }
    $assemblyVersion = [Reflection.AssemblyName]::GetAssemblyName($rootAssembly).Version
    if ($assemblyVersion.ToString(3) -ne ([version] $version).ToString(3)) {
        Write-Warning "$ModuleName.dll has version $assemblyVersion but the manifest says $version."
    }

    Write-Host "Module assembled in $moduleDir" -ForegroundColor Green
    Get-ChildItem -LiteralPath $moduleDir -Recurse -File |
        ForEach-Object { '  ' + [IO.Path]::GetRelativePath($moduleDir, $_.FullName) } |
        Out-Host
}

function Invoke-XunitTests {
    # Runs the xUnit project and reads its counts from a TRX file, because the exit code
    # alone cannot tell failing tests from a project that did not compile.
    $resultsDir = Join-Path $OutDir 'TestResults'
    $trxPath = Join-Path $resultsDir 'xunit.trx'
    Remove-Item -LiteralPath $trxPath -Force -ErrorAction Ignore

    Write-Host "> dotnet test $XunitProject" -ForegroundColor Cyan
    & dotnet test $XunitProject --configuration $Configuration --nologo `
        --logger 'trx;LogFileName=xunit.trx' --results-directory $resultsDir | Out-Host
    $exitCode = $LASTEXITCODE

    if (-not (Test-Path -LiteralPath $trxPath)) {
        return New-TestRunResult -Runner 'xUnit' -Ran $false -Problem "dotnet test wrote no results (exit code $exitCode)."
    }

    # One UnitTestResult per test case (each row of a theory counts). Skipped tests are
    # 'NotExecuted'; the TRX summary counters do not count them, so count the results.
    $outcomes = @(Select-Xml -LiteralPath $trxPath -XPath "//*[local-name()='UnitTestResult']" |
            ForEach-Object { $_.Node.GetAttribute('outcome') })
    $passed = @($outcomes -eq 'Passed').Count
    $failed = @($outcomes | Where-Object { $_ -in 'Failed', 'Error', 'Timeout', 'Aborted' }).Count
    $result = New-TestRunResult -Runner 'xUnit' -Passed $passed -Failed $failed -Skipped ($outcomes.Count - $passed - $failed)

    if (($result.Passed + $result.Failed + $result.Skipped) -eq 0) {
        $result.Ran = $false
        $result.Problem = 'no xUnit tests were found.'
    }
    elseif ($exitCode -ne 0 -and $result.Failed -eq 0) {
        $result.Ran = $false
        $result.Problem = "dotnet test failed with exit code $exitCode but reported no failing test."
    }
    $result
}

function Invoke-PesterTests {
    param([Parameter(Mandatory)][string] $ModuleManifestPath)

    # Pester comes from NuGet, pinned by tools/TestPackages/TestPackages.csproj.
    try {
        Invoke-DotNet restore $PesterProject
        $pesterManifest = Join-Path (Get-NuGetPackagesDir) 'pester' $PesterVersion 'tools' 'Pester.psd1'
        if (-not (Test-Path -LiteralPath $pesterManifest)) {
            throw "Pester $PesterVersion was not found at $pesterManifest after restoring $PesterProject."
        }
    }
    catch {
        return New-TestRunResult -Runner 'Pester' -Ran $false -Problem $_.Exception.Message
    }

    $summaryPath = Join-Path $OutDir 'pester-summary.json'
    $testResultPath = Join-Path $OutDir 'testResults.xml'
    Remove-Item -LiteralPath $summaryPath -Force -ErrorAction Ignore

    # What the child process runs. It is a fresh process so that it loads the module just
    # built, not a copy this process may already hold, and so the build never locks it.
    $childScript = {
        param($RepoRoot, $PesterManifest, $TestsDir, $TestResultPath, $SummaryPath)

        $ErrorActionPreference = 'Stop'
        Set-Location -LiteralPath $RepoRoot
        Import-Module -Name $PesterManifest -Force

        $config = New-PesterConfiguration
        $config.Run.Path = $TestsDir
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputFormat = 'NUnitXml'
        $config.TestResult.OutputPath = $TestResultPath

        $run = Invoke-Pester -Configuration $config

        # Failures that are not failed tests: a file that cannot even be discovered (a
        # syntax error) fails its container with no tests in it, and a failing AfterAll
        # fails only its block or file. A failing BeforeAll also fails the tests below it,
        # so those containers and blocks are counted through their tests, not again.
        function Test-HasFailedTest($BlockOrContainer) {
            @($BlockOrContainer.Tests | Where-Object Result -EQ 'Failed').Count -gt 0 -or
            @($BlockOrContainer.Blocks | Where-Object { Test-HasFailedTest $_ }).Count -gt 0
        }
        $otherFailures = @(
            @($run.FailedContainers) + @($run.FailedBlocks) | Where-Object { $_ -and -not (Test-HasFailedTest $_) }
        ).Count

        [ordered]@{
            Result       = $run.Result
            Passed       = $run.PassedCount
            Failed       = $run.FailedCount + $otherFailures
            Skipped      = $run.SkippedCount + $run.InconclusiveCount
            NotRun       = $run.NotRunCount
            FailedBlocks = $run.FailedBlocksCount
        } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8
    }

    $arguments = $RepoRoot, $pesterManifest, $PesterTestsDir, $testResultPath, $summaryPath |
        ForEach-Object { ConvertTo-PSLiteral $_ }
    $command = "& { $childScript } $arguments"
    $encodedCommand = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command))

    $pwsh = Get-PwshCommand
    $previousModulePath = $env:CLUSTERPS_MODULE_PATH
    try {
        # The tests import the module from here (see tests/common.ps1).
        $env:CLUSTERPS_MODULE_PATH = $ModuleManifestPath
        Write-Host "> Invoke-Pester $PesterTestsDir (Pester $PesterVersion, new process)" -ForegroundColor Cyan
        # -OutputFormat Text: given -EncodedCommand, pwsh would otherwise also write its
        # output streams to stderr as CLIXML for a PowerShell parent to deserialize.
        & $pwsh.FilePath @($pwsh.Arguments) -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encodedCommand | Out-Host
        $exitCode = $LASTEXITCODE
    }
    finally {
        $env:CLUSTERPS_MODULE_PATH = $previousModulePath
    }

    if (-not (Test-Path -LiteralPath $summaryPath)) {
        return New-TestRunResult -Runner 'Pester' -Ran $false -Problem "the Pester process wrote no summary (exit code $exitCode)."
    }

    $summary = Get-Content -LiteralPath $summaryPath -Raw | ConvertFrom-Json
    $result = New-TestRunResult -Runner 'Pester' `
        -Passed $summary.Passed `
        -Failed $summary.Failed `
        -Skipped $summary.Skipped

    if (($summary.Passed + $summary.Failed + $summary.Skipped) -eq 0) {
        $result.Ran = $false
        $result.Problem = "no Pester tests were found in $PesterTestsDir."
    }
    elseif ($summary.Result -ne 'Passed' -and $result.Failed -eq 0) {
        $result.Ran = $false
        $result.Problem = "Pester reported '$($summary.Result)' without a failing test."
    }
    $result
}

function Assert-TestPrerequisite {
    # Some tests need a tool from outside .NET: NumPy at /usr/bin/python3 (to prove that NumPy
    # reads what ClusterPS writes) and Chromium (to render the HTML report). On a fresh Debian
    # machine (root, apt) the missing one is installed here; elsewhere the message says what
    # to install.
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][scriptblock] $Test,
        [Parameter(Mandatory)][string] $Package,
        [Parameter(Mandatory)][string] $Why
    )
    if (& $Test) {
        return
    }
    $aptGet = Get-Command apt-get -ErrorAction Ignore
    if ($aptGet -and (& id -u) -eq '0') {
        Write-Host "> apt-get install -y $Package ($Why)" -ForegroundColor Cyan
        & apt-get update -qq | Out-Host
        & apt-get install -y -qq $Package | Out-Host
        if ($LASTEXITCODE -eq 0) {
            return
        }
    }
    throw "The tests need $Name (Debian: 'apt-get install $Package')."
}

function Assert-TestPrerequisites {
    Assert-TestPrerequisite -Name 'NumPy for /usr/bin/python3' -Package 'python3-numpy' -Why 'the NumPy round-trip tests need it' -Test {
        (Test-Path -LiteralPath '/usr/bin/python3') -and $(& /usr/bin/python3 -c 'import numpy' 2>$null; $LASTEXITCODE -eq 0)
    }
    Assert-TestPrerequisite -Name 'Chromium' -Package 'chromium' -Why 'the report tests render HTML in it' -Test {
        [bool] (Get-Command chromium -CommandType Application -ErrorAction Ignore)
    }
    Assert-TestPrerequisite -Name 'the OpenSSH server' -Package 'openssh-server' -Why 'the remoting tests run a private sshd' -Test {
        Test-Path -LiteralPath '/usr/sbin/sshd'
    }
    Assert-TestPrerequisite -Name 'the OpenSSH client' -Package 'openssh-client' -Why 'PowerShell''s SSH remoting runs ssh' -Test {
        (Test-Path -LiteralPath '/usr/bin/ssh') -and (Test-Path -LiteralPath '/usr/bin/ssh-keygen')
    }
}

function Invoke-TestTask {
    # Returns $true when every test passed and both runners ran.
    Assert-TestPrerequisites
    Invoke-BuildTask
    $moduleManifestPath = Join-Path (Get-ModuleOutputDir) "$ModuleName.psd1"

    $runs = @(
        Invoke-XunitTests
        Invoke-PesterTests -ModuleManifestPath $moduleManifestPath
    )

    Write-Host ''
    foreach ($run in $runs) {
        $line = '{0,-7} {1} passed, {2} failed, {3} skipped' -f "$($run.Runner):", $run.Passed, $run.Failed, $run.Skipped
        if (-not $run.Ran) {
            $line += " -- PROBLEM: $($run.Problem)"
        }
        Write-Host $line -ForegroundColor ($run.Ran -and $run.Failed -eq 0 ? 'Green' : 'Red')
    }

    $passed = ($runs | Measure-Object -Property Passed -Sum).Sum
    $failed = ($runs | Measure-Object -Property Failed -Sum).Sum
    $skipped = ($runs | Measure-Object -Property Skipped -Sum).Sum

    # The closing line, for people and for CI.
    $closing = "$passed passed, $failed failed"
    if ($skipped -gt 0) {
        $closing += ", $skipped skipped"
    }
    Write-Host $closing

    $failed -eq 0 -and $runs.Ran -notcontains $false
}

function Invoke-DemoTask {
    # The main job on the shipped sample dataset, as a user would run it, in a new session.
    Invoke-BuildTask
    $manifest = Join-Path (Get-ModuleOutputDir) "$ModuleName.psd1"
    $samples = Join-Path $RepoRoot 'samples'
    $demo = {
        param($Manifest, $Samples)
        Import-Module $Manifest
        Write-Host "PS> Get-ClusterStatistics $Samples" -ForegroundColor Cyan
        Get-ClusterStatistics $Samples | Out-Host
        Write-Host 'PS> Get-ClusterBatch ./samples | Format-Table' -ForegroundColor Cyan
        Get-ClusterBatch $Samples | Format-Table | Out-Host
        Write-Host 'PS> Get-ClusterBatch ./samples | Select-Cluster -Marley -Interaction ES | Select-Object -First 5' -ForegroundColor Cyan
        Get-ClusterBatch $Samples | Select-Cluster -Marley -Interaction ES | Select-Object -First 5 | Out-Host
        Write-Host 'PS> Test-ClusterDataset ./samples -Quiet' -ForegroundColor Cyan
        Test-ClusterDataset $Samples -Quiet | Out-Host
    }
    $pwsh = Get-PwshCommand
    $command = "& { $demo } $(ConvertTo-PSLiteral $manifest) $(ConvertTo-PSLiteral $samples)"
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command))
    & $pwsh.FilePath @($pwsh.Arguments) -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "The demo failed with exit code $LASTEXITCODE."
    }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $version = Get-ModuleVersion
    $moduleDir = Get-ModuleOutputDir

    $repositoryDir = Join-Path $OutDir 'repo'
    if (Test-Path -LiteralPath $repositoryDir) {
        Remove-Item -LiteralPath $repositoryDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $repositoryDir

    # A local file repository; re-registered each time so it points at this checkout.
    if (Get-PSResourceRepository -Name $LocalRepositoryName -ErrorAction Ignore) {
        Unregister-PSResourceRepository -Name $LocalRepositoryName
    }
    Register-PSResourceRepository -Name $LocalRepositoryName -Uri $repositoryDir -Trusted

    Publish-PSResource -Path $moduleDir -Repository $LocalRepositoryName

    $package = Join-Path $repositoryDir "$ModuleName.$version.nupkg"
    if (-not (Test-Path -LiteralPath $package)) {
        throw "Publish-PSResource did not produce $package."
    }
    Write-Host "Package written to $package" -ForegroundColor Green
    Write-Host "Install it with: Install-PSResource -Name $ModuleName -Repository $LocalRepositoryName"
}

function Invoke-CleanTask {
    if (Test-Path -LiteralPath $OutDir) {
        Remove-Item -LiteralPath $OutDir -Recurse -Force
    }

    # Every bin/ and obj/ below the source folders (never inside .git).
    $roots = Get-ChildItem -LiteralPath $RepoRoot -Directory -Force |
        Where-Object Name -NotIn '.git', 'out'
    $buildDirs = @($roots | Get-ChildItem -Directory -Recurse -Force -Include 'bin', 'obj')
    foreach ($dir in $buildDirs) {
        # A bin/ inside an obj/ may already be gone with its parent.
        if (Test-Path -LiteralPath $dir.FullName) {
            Remove-Item -LiteralPath $dir.FullName -Recurse -Force
        }
    }
    Write-Host 'Removed out/ and the bin/ and obj/ folders.' -ForegroundColor Green
}

#endregion

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' {
        if (-not (Invoke-TestTask)) {
            exit 1
        }
    }
    'Demo' { Invoke-DemoTask }
    'Package' { Invoke-PackageTask }
    'Clean' { Invoke-CleanTask }
}
