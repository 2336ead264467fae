#Requires -Version 7.2
<#
.SYNOPSIS
    Regenerates module/en-US/ClusterPS.dll-Help.xml, the MAML help of the ClusterPS cmdlets.

.DESCRIPTION
    Builds the MAML help from three sources:

      - the help text in content.ps1 and content-images.ps1 (synopsis, descriptions,
        parameter descriptions, inputs, outputs, notes and examples of each cmdlet);
      - the built cmdlets' own metadata: parameter sets, types, mandatory, position,
        pipeline input, wildcards, aliases and ValidateSet values;
      - the real output of every example, which is run in a fresh PowerShell session.

    The examples run against example data made from files in the repository, in a new
    temporary folder that is the current location: samples/ (samples/*.npz), legacy/ (the
    Legacy11 golden file), gen13/ (a 13-column file from tests/data/pester) and suspect/
    (the samples plus a truncated file and a duplicated batch). In the output, the
    temporary folder is shown as /data, the folder the prompt shows, so regenerating
    gives the same bytes on any machine.

    The script refuses to write the file when the documented parameters differ from the
    cmdlets' parameters, or when the documented cmdlets differ from the exported ones.

    Run it on Linux or macOS with the PowerShell pinned in .config/dotnet-tools.json:

        dotnet pwsh ./build.ps1
        dotnet pwsh ./tools/help/New-HelpXml.ps1

.PARAMETER ModulePath
    The manifest of the built module whose cmdlets are documented and run. Defaults to
    out/ClusterPS/<version>/ClusterPS.psd1, with the version of module/ClusterPS.psd1.

.PARAMETER Build
    Builds the module first with build.ps1 -Task Build.

.PARAMETER OutFile
    Where to write the help. Defaults to module/en-US/ClusterPS.dll-Help.xml.

.EXAMPLE
    dotnet pwsh ./tools/help/New-HelpXml.ps1 -Build
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [switch] $Build,
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'

$RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
$ManifestSourcePath = Join-Path $RepoRoot 'module' 'ClusterPS.psd1'
if (-not $OutFile) { $OutFile = Join-Path $RepoRoot 'module' 'en-US' 'ClusterPS.dll-Help.xml' }

# The folder the examples' prompt shows, and that full paths in their output are shown under.
$NeutralDataPath = '/data'
# Width of the examples' output, unless an example sets its own.
$DefaultWidth = 80

if ($IsWindows) {
    # Paths in the output would have backslashes and drive letters, and differ from the
    # committed help in every example that prints a path.
    throw 'Run New-HelpXml.ps1 on Linux or macOS: the example output must show POSIX paths under /data.'
}

#region The module and the content

if ($Build) {
    & (Join-Path $RepoRoot 'build.ps1') -Task Build
}
if (-not $ModulePath) {
    $version = (Import-PowerShellDataFile -LiteralPath $ManifestSourcePath).ModuleVersion
    $ModulePath = Join-Path $RepoRoot 'out' 'ClusterPS' $version 'ClusterPS.psd1'
}
if (-not (Test-Path -LiteralPath $ModulePath -PathType Leaf)) {
    throw "The module is not built: '$ModulePath' does not exist. Build it with 'dotnet pwsh ./build.ps1' (or run this script with -Build), or pass -ModulePath."
}
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Copy-BuiltModule {
    # Copies the built module to $Root/<name>/<version>/, so that the examples do not see a
    # rebuild of out/ that happens while they run, and returns the copy's manifest path.
    param([string] $Root)
    $manifest = Import-PowerShellDataFile -LiteralPath $ModulePath
    $name = [IO.Path]::GetFileNameWithoutExtension($ModulePath)
    $dir = New-Item -ItemType Directory -Path (Join-Path $Root $name $manifest.ModuleVersion)
    Copy-Item -Path (Join-Path (Split-Path -Parent $ModulePath) '*') -Destination $dir.FullName -Recurse
    Join-Path $dir.FullName (Split-Path -Leaf $ModulePath)
}

function Test-Content {
    # Compares the documented cmdlets and parameters with the module's; returns the problems.
    param($Content, $Module)

    $documentedCommands = @($Content | ForEach-Object { $_.Name } | Sort-Object)
    $exportedCommands = @($Module.ExportedCmdlets.Keys | Sort-Object)
    foreach ($name in $exportedCommands | Where-Object { $_ -notin $documentedCommands }) { "${name}: exported but not documented" }
    foreach ($name in $documentedCommands | Where-Object { $_ -notin $exportedCommands }) { "${name}: documented but not exported" }

    foreach ($c in $Content | Where-Object Name -in $exportedCommands) {
        $cmd = Get-Command -Name $c.Name -CommandType Cmdlet
        $real = @($cmd.Parameters.Keys | Where-Object { $_ -notin $common })
        $documented = @($c.Parameters.Keys)
        $missing = @($real | Where-Object { $_ -notin $documented })
        $extra = @($documented | Where-Object { $_ -notin $real -and $_ -notin 'WhatIf', 'Confirm' })
        if ($missing) { "$($c.Name): parameters not documented: $($missing -join ', ')" }
        if ($extra) { "$($c.Name): documented parameters the cmdlet does not have: $($extra -join ', ')" }
        $supportsShouldProcess = $cmd.Parameters.ContainsKey('WhatIf')
        foreach ($n in 'WhatIf', 'Confirm') {
            if ($supportsShouldProcess -and -not $c.Parameters.Contains($n)) { "$($c.Name): supports ShouldProcess but does not document -$n" }
            if (-not $supportsShouldProcess -and $c.Parameters.Contains($n)) { "$($c.Name): documents -$n but does not support ShouldProcess" }
        }
        foreach ($name in $documented) {
            if (-not $c.Parameters[$name].Description) { "$($c.Name): -$name has no description" }
        }
    }
}

#endregion

#region The examples

function New-ExampleData {
    # Makes the example data in $Path from files in the repository.
    param([string] $Path)

    $samples = @(Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'samples') -Filter '*.npz' | Sort-Object Name)
    $legacy = Join-Path $RepoRoot 'tests' 'data' 'golden' 'legacy11' 'clusters_planeV_batch0000.npz'
    $gen13 = Join-Path $RepoRoot 'tests' 'data' 'pester' 'columns13_planeX.npz'
    foreach ($file in @($samples.FullName) + $legacy + $gen13) {
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { throw "The example data needs '$file', which does not exist." }
    }

    # samples/: the shipped sample dataset.
    $dir = New-Item -ItemType Directory -Path (Join-Path $Path 'samples')
    $samples | Copy-Item -Destination $dir.FullName
    # legacy/: one Legacy11 file (11 metadata columns, no interaction column).
    $dir = New-Item -ItemType Directory -Path (Join-Path $Path 'legacy')
    Copy-Item -LiteralPath $legacy -Destination (Join-Path $dir.FullName 'clusters_planeV_batch0000.npz')
    # gen13/: a file with 13 metadata columns, which matches no built-in layout.
    $dir = New-Item -ItemType Directory -Path (Join-Path $Path 'gen13')
    Copy-Item -LiteralPath $gen13 -Destination (Join-Path $dir.FullName 'clusters_planeX_batch0000.npz')
    # suspect/: the samples, with plane X batch 1 cut to its first 10000 bytes (its zip
    # central directory is gone) and a copy of plane X batch 0 as batch 3 (200 duplicate
    # clusters, and batch 2 missing).
    $dir = New-Item -ItemType Directory -Path (Join-Path $Path 'suspect')
    $samples | Copy-Item -Destination $dir.FullName
    $truncated = Join-Path $dir.FullName 'clusters_planeX_batch0001.npz'
    $stream = [System.IO.File]::Open($truncated, [System.IO.FileMode]::Open)
    try { $stream.SetLength(10000) } finally { $stream.Dispose() }
    Copy-Item -LiteralPath (Join-Path $dir.FullName 'clusters_planeX_batch0000.npz') -Destination (Join-Path $dir.FullName 'clusters_planeX_batch0003.npz')
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
        $processPath = Join-Path $PSHOME 'pwsh'
    }
    [pscustomobject]@{ FilePath = $processPath; Arguments = @() }
}

function New-PwshShim {
    # Writes $Dir/pwsh, which starts this PowerShell, for examples that run 'pwsh': under
    # 'dotnet pwsh' there may be no pwsh on the PATH.
    param([string] $Dir)
    $pwsh = Get-PwshCommand
    $quoted = @($pwsh.FilePath) + $pwsh.Arguments | ForEach-Object { "'" + $_.Replace("'", "'\''") + "'" }
    $shim = Join-Path $Dir 'pwsh'
    [System.IO.File]::WriteAllText($shim, "#!/bin/sh`nexec $($quoted -join ' ') `"`$@`"`n")
    [System.IO.File]::SetUnixFileMode($shim, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
}

# Runs the steps of one example in a new session and prints their output, each step after
# a marker line. It is saved to a file and run with pwsh -File. $__DataDir is the current
# location; the examples' own variables must not collide with the names used here.
$ExampleRunner = {
    param([string] $__StepsFile, [string] $__ModulePath, [string] $__DataDir, [string] $__ToolDir, [string] $__Neutral)
    $ErrorActionPreference = 'Continue'
    $PSStyle.OutputRendering = 'PlainText'
    $ProgressPreference = 'SilentlyContinue'
    $env:NO_COLOR = $null
    [System.Globalization.CultureInfo]::CurrentCulture = [System.Globalization.CultureInfo]::InvariantCulture
    [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::InvariantCulture
    [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
    Import-Module -Name $__ModulePath
    # 'pwsh' starts this PowerShell, and finds the module as if it were installed.
    $env:PATH = $__ToolDir + [IO.Path]::PathSeparator + $env:PATH
    $env:PSModulePath = (Split-Path (Split-Path (Split-Path $__ModulePath))) + [IO.Path]::PathSeparator + $env:PSModulePath
    Set-Location -LiteralPath $__DataDir

    function __Hide-DataDir {
        # Shows the data folder as the neutral path in strings and in the string properties of
        # Select-Object output, before formatting, so that table columns are as wide as they
        # would be in /data. (Other objects' paths are replaced in the formatted text.)
        process {
            $o = $_
            if ($o -is [string]) { return $o.Replace($__DataDir, $__Neutral) }
            if ($null -ne $o -and $o.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
                foreach ($p in $o.PSObject.Properties) {
                    if ($p.MemberType -eq 'NoteProperty' -and $p.Value -is [string] -and $p.Value.Contains($__DataDir)) {
                        $p.Value = $p.Value.Replace($__DataDir, $__Neutral)
                    }
                }
            }
            $o
        }
    }

    $__example = Get-Content -Raw -LiteralPath $__StepsFile | ConvertFrom-Json
    $__width = $__example.Width
    foreach ($__step in @($__example.Setup)) { if ($__step) { . ([scriptblock]::Create($__step)) *> $null } }
    foreach ($__step in @($__example.Steps)) {
        '<<<STEP>>>'
        # All of a step's output is formatted at once: a table's column widths come from the
        # objects that reach the formatter within a short time, so streaming slow output
        # would make the widths depend on the machine's speed.
        $__out = [System.Collections.Generic.List[object]]::new()
        try {
            . ([scriptblock]::Create($__step)) *>&1 | __Hide-DataDir | ForEach-Object { $__out.Add($_) }
        } catch {
            $__out.Add($_)
        }
        $__out | Out-String -Width $__width -Stream
    }
    exit 0
}

function Invoke-Example {
    # Runs one example in a new session and returns its text: each step after a prompt,
    # followed by its output.
    param($Command, [int] $Index, $Example)

    $key = '{0} example {1}' -f $Command, $Index
    $width = if ($Example.Width) { $Example.Width } else { $DefaultWidth }
    $stepsFile = Join-Path $script:ToolDir 'example.json'
    @{ Setup = @($Example.Setup); Steps = @($Example.Steps); Width = $width } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $stepsFile -Encoding utf8NoBOM
    $pwsh = Get-PwshCommand
    $errFile = Join-Path $script:ToolDir 'stderr.txt'
    Push-Location -LiteralPath $script:DataDir
    try {
        $lines = @(& $pwsh.FilePath @($pwsh.Arguments) -NoProfile -NonInteractive -File $script:RunnerFile $stepsFile $script:RunModulePath $script:DataDir $script:ToolDir $NeutralDataPath 2> $errFile)
    } finally {
        Pop-Location
    }
    $stderr = (Get-Content -Raw -LiteralPath $errFile)
    if ($LASTEXITCODE -ne 0 -or $stderr) {
        throw "Running $key failed (exit code $LASTEXITCODE):`n$stderr`n$($lines -join "`n")"
    }

    # The output of each step.
    $outputs = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($l in $lines) {
        if ($l -eq '<<<STEP>>>') { $current = [System.Collections.Generic.List[string]]::new(); $outputs.Add($current); continue }
        if ($null -ne $current) { $current.Add($l.TrimEnd()) }
    }
    $text = [System.Collections.Generic.List[string]]::new()
    $steps = @($Example.Steps)
    for ($i = 0; $i -lt $steps.Count; $i++) {
        $codeLines = $steps[$i] -split "`n"
        $text.Add("PS $NeutralDataPath> " + $codeLines[0])
        foreach ($c in $codeLines | Select-Object -Skip 1) { $text.Add('>> ' + $c) }
        $out = if ($i -lt $outputs.Count) { @($outputs[$i]) } else { @() }
        # The data folder is longer than /data: where a line that shows it is wrapped (a line
        # exactly as wide as the output), /data would have wrapped it elsewhere, or not at all.
        $showsData = @($out | Where-Object { $line = $_; @($script:DataDirAliases + $script:Leaks[0, 1] | Where-Object { $line.Contains($_) }).Count })
        if ($showsData -and @($out | Where-Object Length -eq $width).Count) {
            throw "$key, step $($i + 1): a line is as wide as the output ($width columns) in output that shows the example data folder, whose path is longer than $NeutralDataPath; the help would wrap it differently. Make the output narrower, or give the example a larger Width:`n$($out -join "`n")"
        }
        # Trim leading and trailing blank lines, collapse runs of blank lines.
        while ($out.Count -and -not $out[0]) { $out = @($out | Select-Object -Skip 1) }
        while ($out.Count -and -not $out[-1]) { $out = @($out | Select-Object -SkipLast 1) }
        $collapsed = [System.Collections.Generic.List[string]]::new()
        foreach ($o in $out) { if (-not $o -and $collapsed.Count -and -not $collapsed[-1]) { continue }; $collapsed.Add($o) }
        $out = @($collapsed)
        $trim = if ($Example.Trim) { @($Example.Trim)[[Math]::Min($i, @($Example.Trim).Count - 1)] } else { $null }
        if ($trim -is [scriptblock]) { $out = @(& $trim $out) }
        elseif ($trim -is [int] -and $trim -gt 0 -and $out.Count -gt $trim) { $out = @($out | Select-Object -First $trim) + '...' }
        if ($out.Count) {
            if ($Example.BlankBeforeOutput -ne $false) { $text.Add('') }
            foreach ($o in $out) { $text.Add($o) }
            if ($i -lt $steps.Count - 1) { $text.Add('') }
        }
    }
    $result = ($text -join "`n").TrimEnd()
    # Full paths of the example data are shown under /data.
    foreach ($dir in $script:DataDirAliases) { $result = $result.Replace($dir, $NeutralDataPath) }

    if ($result -match '\x1b') { throw "$key output has escape sequences" }
    foreach ($leak in $script:Leaks) {
        if ($result.Contains($leak)) {
            throw "$key output shows a path of this machine ('$leak'), probably a path cut by line wrapping or one outside the example data:`n$result"
        }
    }
    if ($result -cmatch 'ParameterBindingException|Exception:|at line|CommandNotFoundException|is not recognized' -and -not $Example.AllowException) {
        Write-Warning "$key output looks like a failure:`n$result"
    }
    $result
}

#endregion

#region MAML

function X([string] $s) { [System.Security.SecurityElement]::Escape($s) }

function Get-TypeNames([type] $t) {
    if ($t -eq [switch]) { return @('SwitchParameter', 'System.Management.Automation.SwitchParameter') }
    return @($t.Name, $t.FullName)
}

function Get-ParamInfo($cmd, [string] $name) {
    # The parameter's metadata across sets: mandatory/position/pipeline from the sets holding it.
    $sets = @($cmd.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $name })
    $meta = $cmd.Parameters[$name]
    $pos = ($sets | Where-Object { $_.Position -ge 0 } | Select-Object -First 1).Position
    $byValue = [bool]($sets | Where-Object ValueFromPipeline)
    $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
    $pipe = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    $validateSet = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    [pscustomobject]@{
        Name     = $name
        Type     = $meta.ParameterType
        Required = [bool]($sets | Where-Object IsMandatory)
        Position = if ($null -ne $pos) { "$pos" } else { 'named' }
        Pipeline = $pipe
        Globbing = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        Aliases  = if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' }
        Values   = if ($validateSet) { @($validateSet.ValidValues) } else { @() }
    }
}

function Write-Paras([System.Text.StringBuilder] $sb, [string] $indent, $paras) {
    foreach ($p in @($paras)) { [void]$sb.AppendLine("$indent<maml:para>$(X $p)</maml:para>") }
}

function Write-Parameter($sb, $info, $desc, [string] $indent, [bool] $inSyntax, $default) {
    $required = if ($info.Required) { 'true' } else { 'false' }
    $glob = if ($info.Globbing) { 'true' } else { 'false' }
    $isSwitch = $info.Type -eq [switch]
    $variable = if ($info.Type.IsArray) { 'true' } else { 'false' }
    [void]$sb.AppendLine("$indent<command:parameter required=`"$required`" variableLength=`"$variable`" globbing=`"$glob`" pipelineInput=`"$($info.Pipeline)`" position=`"$($info.Position)`" aliases=`"$($info.Aliases)`">")
    [void]$sb.AppendLine("$indent  <maml:name>$($info.Name)</maml:name>")
    [void]$sb.AppendLine("$indent  <maml:description>")
    Write-Paras $sb "$indent    " $desc
    [void]$sb.AppendLine("$indent  </maml:description>")
    $short, $full = Get-TypeNames $info.Type
    if ($info.Values.Count) {
        [void]$sb.AppendLine("$indent  <command:parameterValueGroup>")
        foreach ($v in $info.Values) { [void]$sb.AppendLine("$indent    <command:parameterValue required=`"false`" command:variableLength=`"false`">$(X $v)</command:parameterValue>") }
        [void]$sb.AppendLine("$indent  </command:parameterValueGroup>")
    }
    if (-not $isSwitch) {
        [void]$sb.AppendLine("$indent  <command:parameterValue required=`"true`" variableLength=`"$variable`">$(X $short)</command:parameterValue>")
    } elseif (-not $inSyntax) {
        [void]$sb.AppendLine("$indent  <command:parameterValue required=`"false`" variableLength=`"false`">SwitchParameter</command:parameterValue>")
    }
    [void]$sb.AppendLine("$indent  <dev:type>")
    [void]$sb.AppendLine("$indent    <maml:name>$(X $full)</maml:name>")
    [void]$sb.AppendLine("$indent    <maml:uri />")
    [void]$sb.AppendLine("$indent  </dev:type>")
    if (-not $default) { $default = if ($isSwitch) { 'False' } else { 'None' } }
    [void]$sb.AppendLine("$indent  <dev:defaultValue>$(X $default)</dev:defaultValue>")
    [void]$sb.AppendLine("$indent</command:parameter>")
}

$shouldProcessParams = [ordered]@{
    WhatIf  = [pscustomobject]@{ Name = 'WhatIf'; Type = [switch]; Required = $false; Position = 'named'; Pipeline = 'False'; Globbing = $false; Aliases = 'wi'; Values = @() }
    Confirm = [pscustomobject]@{ Name = 'Confirm'; Type = [switch]; Required = $false; Position = 'named'; Pipeline = 'False'; Globbing = $false; Aliases = 'cf'; Values = @() }
}

function Write-Command([System.Text.StringBuilder] $frag, $c) {
    $cmd = Get-Command -Name $c.Name -CommandType Cmdlet
    $verb, $noun = $c.Name -split '-', 2
    [void]$frag.AppendLine('  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" xmlns:MSHelp="http://msdn.microsoft.com/mshelp">')
    [void]$frag.AppendLine('    <command:details>')
    [void]$frag.AppendLine("      <command:name>$($c.Name)</command:name>")
    [void]$frag.AppendLine("      <command:verb>$verb</command:verb>")
    [void]$frag.AppendLine("      <command:noun>$noun</command:noun>")
    [void]$frag.AppendLine('      <maml:description>')
    Write-Paras $frag '        ' $c.Synopsis
    [void]$frag.AppendLine('      </maml:description>')
    [void]$frag.AppendLine('    </command:details>')
    [void]$frag.AppendLine('    <maml:description>')
    Write-Paras $frag '      ' $c.Description
    [void]$frag.AppendLine('    </maml:description>')

    $supportsShouldProcess = $cmd.Parameters.ContainsKey('WhatIf')
    [void]$frag.AppendLine('    <command:syntax>')
    $sets = @($cmd.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        [void]$frag.AppendLine('      <command:syntaxItem>')
        [void]$frag.AppendLine("        <maml:name>$($c.Name)</maml:name>")
        $ps = @($set.Parameters | Where-Object { $_.Name -notin $common })
        $ordered = @($ps | Where-Object { $_.Position -ge 0 } | Sort-Object Position) + @($ps | Where-Object { $_.Position -lt 0 -and $_.IsMandatory }) + @($ps | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory })
        foreach ($p in $ordered) {
            $info = Get-ParamInfo $cmd $p.Name
            # In a syntax item, mandatory/position/pipeline are those of this set.
            $info.Required = $p.IsMandatory
            $info.Position = if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }
            Write-Parameter $frag $info $c.Parameters[$p.Name].Description '        ' $true $c.Parameters[$p.Name].Default
        }
        if ($supportsShouldProcess) {
            foreach ($n in 'WhatIf', 'Confirm') { Write-Parameter $frag $shouldProcessParams[$n] $c.Parameters[$n].Description '        ' $true $null }
        }
        [void]$frag.AppendLine('      </command:syntaxItem>')
    }
    [void]$frag.AppendLine('    </command:syntax>')

    [void]$frag.AppendLine('    <command:parameters>')
    foreach ($name in $c.Parameters.Keys) {
        $info = if ($name -in 'WhatIf', 'Confirm') { $shouldProcessParams[$name] } else { Get-ParamInfo $cmd $name }
        Write-Parameter $frag $info $c.Parameters[$name].Description '      ' $false $c.Parameters[$name].Default
    }
    [void]$frag.AppendLine('    </command:parameters>')

    [void]$frag.AppendLine('    <command:inputTypes>')
    foreach ($i in $c.Inputs) {
        [void]$frag.AppendLine('      <command:inputType>')
        [void]$frag.AppendLine("        <dev:type>`n          <maml:name>$(X $i.Type)</maml:name>`n        </dev:type>")
        [void]$frag.AppendLine('        <maml:description>')
        Write-Paras $frag '          ' $i.Description
        [void]$frag.AppendLine('        </maml:description>')
        [void]$frag.AppendLine('      </command:inputType>')
    }
    [void]$frag.AppendLine('    </command:inputTypes>')
    [void]$frag.AppendLine('    <command:returnValues>')
    foreach ($o in $c.Outputs) {
        [void]$frag.AppendLine('      <command:returnValue>')
        [void]$frag.AppendLine("        <dev:type>`n          <maml:name>$(X $o.Type)</maml:name>`n        </dev:type>")
        [void]$frag.AppendLine('        <maml:description>')
        Write-Paras $frag '          ' $o.Description
        [void]$frag.AppendLine('        </maml:description>')
        [void]$frag.AppendLine('      </command:returnValue>')
    }
    [void]$frag.AppendLine('    </command:returnValues>')
    [void]$frag.AppendLine('    <maml:alertSet>')
    [void]$frag.AppendLine('      <maml:alert>')
    Write-Paras $frag '        ' $c.Notes
    [void]$frag.AppendLine('      </maml:alert>')
    [void]$frag.AppendLine('    </maml:alertSet>')

    [void]$frag.AppendLine('    <command:examples>')
    $n = 0
    foreach ($e in $c.Examples) {
        $n++
        Write-Host "  $($c.Name) example $n"
        $title = "Example ${n}: $($e.Title)"
        $code = Invoke-Example $c.Name $n $e
        [void]$frag.AppendLine('      <command:example>')
        [void]$frag.AppendLine("        <maml:title>---------- $(X $title) ----------</maml:title>")
        [void]$frag.AppendLine("        <dev:code>$(X $code)</dev:code>")
        [void]$frag.AppendLine('        <dev:remarks>')
        Write-Paras $frag '          ' $e.Remarks
        [void]$frag.AppendLine('          <maml:para></maml:para>')
        [void]$frag.AppendLine('        </dev:remarks>')
        [void]$frag.AppendLine('      </command:example>')
    }
    [void]$frag.AppendLine('    </command:examples>')
    [void]$frag.AppendLine('    <command:relatedLinks>')
    foreach ($l in $c.Links) {
        [void]$frag.AppendLine('      <maml:navigationLink>')
        [void]$frag.AppendLine("        <maml:linkText>$(X $l)</maml:linkText>")
        [void]$frag.AppendLine('        <maml:uri />')
        [void]$frag.AppendLine('      </maml:navigationLink>')
    }
    [void]$frag.AppendLine('    </command:relatedLinks>')
    [void]$frag.AppendLine('  </command:command>')
}

#endregion

#region Main

# A short work folder: the example data is in $WorkDir/d, which the output shows as /data.
# Its path is longer than /data, and a long one would make lines wrap.
$tempRoot = if (Test-Path -LiteralPath '/tmp' -PathType Container) { '/tmp' } else { [IO.Path]::GetTempPath() }
$workName = 'cpsh-' + [IO.Path]::GetFileNameWithoutExtension([IO.Path]::GetRandomFileName())
$WorkDir = Join-Path $tempRoot $workName
$DataDir = Join-Path $WorkDir 'd'
$ToolDir = Join-Path $WorkDir 'bin'
# The data folder as the examples may print it (macOS: /tmp is a link to /private/tmp).
$DataDirAliases = @("/private$DataDir", $DataDir)
# Text that must not remain in the output after the data folder is replaced: either half
# of the work folder's name (a path cut by line wrapping keeps one of them whole), the
# repository and the home folder.
$half = [int]($workName.Length / 2)
$Leaks = @($workName.Substring(0, $half), $workName.Substring($half), $RepoRoot, $HOME) | Where-Object { $_ -and $_ -ne '/' }

$savedEncoding = [Console]::OutputEncoding
$null = New-Item -ItemType Directory -Path $DataDir, $ToolDir
try {
    # The module: documented and run from a copy.
    $RunModulePath = Copy-BuiltModule -Root (Join-Path $WorkDir 'modules')
    $module = Import-Module -Name $RunModulePath -Force -PassThru
    Write-Host "Documenting $($module.Name) $($module.Version), built in $(Split-Path -Parent $ModulePath)"

    $content = @(& (Join-Path $PSScriptRoot 'content.ps1'))
    $problems = @(Test-Content -Content $content -Module $module)
    if ($problems) {
        throw "The help does not match the cmdlets of $ModulePath; nothing was written. Edit content.ps1 (or rebuild the module):`n  $($problems -join "`n  ")"
    }

    New-ExampleData -Path $DataDir
    New-PwshShim -Dir $ToolDir
    $RunnerFile = Join-Path $ToolDir 'Invoke-Example.ps1'
    Set-Content -LiteralPath $RunnerFile -Value $ExampleRunner.ToString() -Encoding utf8NoBOM
    # The runner writes UTF-8; read it as UTF-8.
    [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)

    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
    [void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
    foreach ($c in $content) {
        Write-Host $c.Name
        Write-Command $sb $c
    }
    [void]$sb.AppendLine('</helpItems>')
} finally {
    [Console]::OutputEncoding = $savedEncoding
    Remove-Item -LiteralPath $WorkDir -Recurse -Force -ErrorAction SilentlyContinue
}

$xml = $sb.ToString()
[xml]$null = $xml  # must parse
$OutFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
[System.IO.File]::WriteAllText($OutFile, $xml, [System.Text.UTF8Encoding]::new($false))
Write-Host "Wrote $OutFile"

#endregion
