# Objects that travel (SPEC section 9): statistics, batches, clusters and audit findings that
# come back by value from SSH remoting (Invoke-Command -HostName against a private sshd on
# 127.0.0.1, see SshServer.ps1), from Start-Job, and from Export-Clixml in another pwsh read
# back with Import-Clixml, must turn back into ClusterPS objects and keep meaning their own
# files.
#
# Every test here runs from a working directory that holds decoys: other, smaller NumPy
# files (tests/data/golden) under the sample files' names, one of them with a plane column
# that contradicts its name. A command that opens 'clusters_planeU_batch0000.npz' relative to
# the current location instead of the object's full path gives other counts, other pixels
# and a failing audit, which the tests see.
#
# The expected numbers are NumPy's (tests/data/samples_expected.json, pester_expected.json)
# and those of the same command on live objects in this session.

BeforeDiscovery {
    $transports = @(
        @{ Transport = 'SSH'; How = 'Invoke-Command -HostName (SSH remoting)' }
        @{ Transport = 'Job'; How = 'Start-Job' }
        @{ Transport = 'Clixml'; How = 'Export-Clixml in another pwsh, Import-Clixml here' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    . (Join-Path $PSScriptRoot 'SshServer.ps1')

    $manifest = Get-ModuleManifestPath
    $samples = Get-SamplesPath
    $samplesExpected = Get-Content -Raw -LiteralPath (Get-TestDataPath 'samples_expected.json') | ConvertFrom-Json
    $pesterExpected = Get-Content -Raw -LiteralPath (Get-TestDataPath 'pester_expected.json') | ConvertFrom-Json
    $totals = $samplesExpected.total.stats
    $referenceReport = $samplesExpected.total.report.Replace('{source}', $samples)
    $sampleFiles = @($samplesExpected.files.file | Sort-Object | ForEach-Object { Join-Path $samples $_ })
    $uvFiles = @($sampleFiles | Where-Object { (Split-Path -Leaf $_) -match '_plane[UV]_' })
    $xFiles = @($sampleFiles | Where-Object { (Split-Path -Leaf $_) -match '_planeX_' })
    # The PowerShell pinned in .config/dotnet-tools.json, which runs these tests.
    $pinnedPwsh = (Get-Content -Raw -LiteralPath (Join-Path (Split-Path -Parent $PSScriptRoot) '.config/dotnet-tools.json') |
            ConvertFrom-Json).tools.powershell.version

    # Same names as the samples, other contents: three readable NumPy files with 3, 3 and 4
    # clusters of the right planes, and one whose plane column (V) contradicts its name (X),
    # which the audit reports as an Error and the readers refuse.
    $decoys = Join-Path $TestDrive 'decoys'
    $null = New-Item -ItemType Directory -Path $decoys
    $decoySources = [ordered]@{
        'clusters_planeU_batch0000.npz' = 'golden/metadata_first'
        'clusters_planeV_batch0000.npz' = 'golden/big_endian_int32'
        'clusters_planeX_batch0000.npz' = 'golden/clusters_planeX_batch0007'
        'clusters_planeX_batch0001.npz' = 'golden/npy_v3'
    }
    $decoyReadable = 0
    foreach ($name in $decoySources.Keys) {
        $sidecar = Get-Content -Raw -LiteralPath (Get-TestDataPath "$($decoySources[$name]).expected.json") | ConvertFrom-Json
        if ($name -match "_plane$($sidecar.plane)_") {
            $decoyReadable += $sidecar.count
        }
    }
    foreach ($name in $decoySources.Keys) {
        Copy-Item -LiteralPath (Get-TestDataPath "$($decoySources[$name]).npz") -Destination (Join-Path $decoys $name)
    }

    # What live objects in this session say (the module is imported by common.ps1).
    $live = @{
        All      = Get-ClusterStatistics -LiteralPath $samples
        UV       = Get-ClusterStatistics -LiteralPath $uvFiles
        X        = Get-ClusterStatistics -LiteralPath $xFiles
        Batches  = @(Get-ClusterBatch -LiteralPath $samples)
        Marley   = @(Select-Cluster -LiteralPath $samples -Marley)
        Clusters = @(Select-Cluster -LiteralPath $samples)
        Findings = @(Test-ClusterDataset -LiteralPath $decoys)
        Quiet    = Test-ClusterDataset -LiteralPath $samples -Quiet
    }

    function Get-Text {
        # An object's default view as text, without the blank lines Out-String puts around it.
        param([Parameter(ValueFromPipeline)] $InputObject)
        end { (($input | Out-String) -replace '\r\n', "`n").Trim("`n") }
    }

    function ConvertTo-Literal {
        # A string or an array of strings as PowerShell source text.
        param($Value)
        $quoted = @($Value | ForEach-Object { "'" + ([string] $_).Replace("'", "''") + "'" })
        if ($Value -is [array]) { '@(' + ($quoted -join ', ') + ')' } else { $quoted[0] }
    }

    function Assert-ClusterType {
        # Jobs and Import-Clixml rebuild ClusterPS objects as they deserialize. PowerShell's SSH
        # remoting deserializes with its built-in type table only, so there they arrive as
        # Deserialized.ClusterPS.<Type>: the default views show them, every ClusterPS command takes
        # them (rebuilding them first), and a cast makes them live.
        param([Parameter(Mandatory)] $Item, [Parameter(Mandatory)][string] $Type, [Parameter(Mandatory)][string] $Via)
        if ($Via -eq 'SSH') {
            $Item.pstypenames[0] | Should -Be "Deserialized.ClusterPS.$Type"
            ($Item -as [type]"ClusterPS.$Type").GetType().FullName | Should -Be "ClusterPS.$Type"
        }
        else {
            $Item.GetType().FullName | Should -Be "ClusterPS.$Type"
        }
    }

    function Get-Live {
        # The live object for one that came back: itself, or, for one that SSH remoting left
        # deserialized, the cast that rebuilds it.
        param([Parameter(Mandatory)] $Item)
        $name = $Item.pstypenames[0]
        if ($name -like 'Deserialized.ClusterPS.*') { $Item -as [type]($name -replace '^Deserialized\.') } else { $Item }
    }

    $script:session = $null

    function Invoke-Travel {
        # Runs each named script block in another process (in a session that imported the
        # module under test) and returns a hashtable: name -> what came back, deserialized.
        #   SSH     one Invoke-Command over the private sshd, in the open PSSession;
        #   Job     one Start-Job;
        #   Clixml  one new pwsh writes each output with Export-Clixml to its own file, which
        #           Import-Clixml reads back here.
        # Over SSH and from the job the outputs come in one stream, each after a marker string
        # with its name. Arguments are strings or arrays of strings. Bounded by $TimeoutSeconds.
        param(
            [Parameter(Mandatory)][ValidateSet('SSH', 'Job', 'Clixml')][string] $Transport,
            [Parameter(Mandatory)][System.Collections.IDictionary] $Work,
            [int] $TimeoutSeconds = 120
        )

        $marker = '##ClusterPS-travel:'
        $calls = [ordered]@{}
        foreach ($name in $Work.Keys) {
            $arguments = @($Work[$name].Arguments | ForEach-Object { ConvertTo-Literal $_ }) -join ' '
            $calls[$name] = "& { $($Work[$name].Script) } $arguments"
        }
        $results = @{}

        if ($Transport -eq 'Clixml') {
            $folder = Join-Path $TestDrive ('clixml-' + [Guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $folder
            $lines = @(
                '$ErrorActionPreference = ''Stop'''
                "Import-Module -Name $(ConvertTo-Literal $manifest)"
                foreach ($name in $calls.Keys) {
                    "$($calls[$name]) | Export-Clixml -LiteralPath $(ConvertTo-Literal (Join-Path $folder "$name.xml"))"
                }
            )
            $output = Invoke-FreshPwsh -Script ($lines -join "`n")
            foreach ($name in $calls.Keys) {
                $file = Join-Path $folder "$name.xml"
                if (-not (Test-Path -LiteralPath $file)) {
                    throw "The child pwsh wrote no $name.xml. Its output:`n$($output -join "`n")"
                }
                $results[$name] = @(Import-Clixml -LiteralPath $file)
            }
            return $results
        }

        $lines = @(
            '$ErrorActionPreference = ''Stop'''
            if ($Transport -eq 'Job') { "Import-Module -Name $(ConvertTo-Literal $manifest)" }
            foreach ($name in $calls.Keys) {
                ConvertTo-Literal "$marker$name"
                $calls[$name]
            }
        )
        $script = [scriptblock]::Create($lines -join "`n")
        $job = if ($Transport -eq 'SSH') {
            Invoke-Command -Session $script:session -ScriptBlock $script -AsJob
        }
        else {
            Start-Job -ScriptBlock $script
        }
        try {
            if (-not (Wait-Job -Job $job -Timeout $TimeoutSeconds)) {
                throw "The $Transport commands did not finish within $TimeoutSeconds s."
            }
            $received = @(Receive-Job -Job $job -ErrorAction Stop)
        }
        finally {
            Remove-Job -Job $job -Force
        }

        $current = $null
        foreach ($item in $received) {
            if ($item -is [string] -and $item.StartsWith($marker)) {
                $current = $item.Substring($marker.Length)
                $results[$current] = [Collections.Generic.List[object]]::new()
            }
            elseif ($null -eq $current) {
                throw "Output came back before the first marker: $item"
            }
            else {
                $results[$current].Add($item)
            }
        }
        foreach ($name in $calls.Keys) {
            if (-not $results.ContainsKey($name)) {
                throw "Nothing came back for '$name'."
            }
            $results[$name] = $results[$name].ToArray()
        }
        $results
    }

    # ~/.ssh/known_hosts as it is before the tests: they must leave it alone.
    $userKnownHosts = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.ssh/known_hosts'
    function Get-UserKnownHostsState {
        if (Test-Path -LiteralPath $userKnownHosts) { (Get-FileHash -LiteralPath $userKnownHosts).Hash } else { 'absent' }
    }
    $userKnownHostsBefore = Get-UserKnownHostsState

    $server = Start-TestSshServer
    $remote = $server.Connection
    $script:session = New-PSSession @remote -ErrorAction Stop
    $null = Invoke-Command -Session $script:session -ScriptBlock {
        param($Manifest)
        Import-Module -Name $Manifest -ErrorAction Stop
    } -ArgumentList $manifest

    # From here on every command runs among the decoys.
    $startLocation = Get-Location
    Set-Location -LiteralPath $decoys
}

AfterAll {
    if ($startLocation) {
        Set-Location -LiteralPath $startLocation.Path
    }
    if ($script:session) {
        Remove-PSSession -Session $script:session -ErrorAction Ignore
    }
    Stop-TestSshServer $server
}

Describe 'The SSH remoting test harness' {
    It 'answers Invoke-Command -HostName over SSH with the pinned PowerShell, in another process' {
        $answer = Invoke-Command @remote -ScriptBlock {
            [pscustomobject]@{ Version = $PSVersionTable.PSVersion.ToString(); ProcessId = $PID; Machine = [Environment]::MachineName }
        }
        $answer.Version | Should -Be $pinnedPwsh
        $answer.Version | Should -Be $PSVersionTable.PSVersion.ToString()
        $answer.ProcessId | Should -Not -Be $PID
        $answer.Machine | Should -Be ([Environment]::MachineName)
        $answer.PSComputerName | Should -Be '127.0.0.1'
    }

    It 'connects with its own key and known_hosts, never ~/.ssh' {
        # ssh recorded the test server's host key in the fixture's known_hosts (hashed or not).
        $entry = & ssh-keygen -F "[127.0.0.1]:$($server.Port)" -f $server.KnownHostsPath
        $LASTEXITCODE | Should -Be 0
        "$entry" | Should -Match 'ssh-ed25519'
        Get-UserKnownHostsState | Should -Be $userKnownHostsBefore
        $server.ConfigPath | Should -BeLike "$($server.Directory)*"
        Get-TestSshProcessId $server.ConfigPath | Should -Contain $server.Process.Id
    }

    It 'imports the built ClusterPS in the remote session and counts the samples there' {
        $answer = Invoke-Command @remote -ScriptBlock {
            param($Manifest, $Samples)
            $module = Import-Module -Name $Manifest -PassThru -ErrorAction Stop
            [pscustomobject]@{ ModuleBase = $module.ModuleBase; Clusters = (Get-ClusterStatistics -LiteralPath $Samples).Clusters }
        } -ArgumentList $manifest, $samples
        $answer.ModuleBase | Should -Be (Get-Module ClusterPS).ModuleBase
        $answer.Clusters | Should -Be $totals.clusters
    }

    It 'keeps one remote session open for the other tests, with ClusterPS in it' {
        $script:session.State | Should -Be 'Opened'
        $script:session.Transport | Should -Be 'SSH'
        Invoke-Command -Session $script:session -ScriptBlock { (Get-Module ClusterPS).Name } | Should -Be 'ClusterPS'
    }
}

Describe 'The decoys in the working directory' {
    It 'are where the tests run, under the sample files'' names' {
        (Get-Location).ProviderPath | Should -Be $decoys
        @(Get-ChildItem -Name -Filter *.npz | Sort-Object) | Should -Be @($sampleFiles | ForEach-Object { Split-Path -Leaf $_ })
    }

    It 'give other answers than the samples, so a command that reads them is caught' {
        $decoyStats = Get-ClusterStatistics -Path . -ErrorVariable problems -ErrorAction SilentlyContinue
        $decoyStats.Clusters | Should -Be $decoyReadable
        $decoyStats.Clusters | Should -Not -Be $totals.clusters
        $problems.Count | Should -Be 1
        Test-ClusterDataset -Path . -Quiet | Should -BeFalse
        $live.Quiet | Should -BeTrue
        foreach ($file in $sampleFiles) {
            $name = Split-Path -Leaf $file
            (Get-ClusterBatch -Path $name -ErrorAction SilentlyContinue).Count | Should -Not -Be (Get-ClusterBatch -LiteralPath $file).Count
        }
    }

    It 'do not catch Get-ChildItem output, which binds by full path' {
        @(Get-ChildItem -LiteralPath $samples -Filter *.npz | Get-ClusterBatch).Path | Should -Be $live.Batches.Path
    }

    It 'do not catch live batches piped into Get-ClusterStatistics' {
        ($live.Batches | Get-ClusterStatistics).Clusters | Should -Be $totals.clusters
    }

    It 'do not catch live batches piped into Select-Cluster' {
        @($live.Batches | Select-Cluster).Count | Should -Be $totals.clusters
    }

    It 'do not catch live batches piped into Test-ClusterDataset -Quiet' {
        $live.Batches | Test-ClusterDataset -Quiet | Should -BeTrue
    }

    It 'do not catch live batches piped into Get-ClusterBatch' {
        @($live.Batches | Get-ClusterBatch).Path | Should -Be $live.Batches.Path
    }
}

Describe 'Serializing live objects' {
    It 'keeps a cluster to a few KB, without its pixels' {
        $cluster = $live.Clusters[0]
        $xml = [System.Management.Automation.PSSerializer]::Serialize($cluster)
        $xml.Length | Should -BeLessThan 4096
        $xml | Should -Match ([regex]::Escape($cluster.Path))
    }

    It 'keeps what a merge needs in statistics: the files they counted' {
        $xml = [System.Management.Automation.PSSerializer]::Serialize($live.All)
        foreach ($file in $sampleFiles) {
            $xml | Should -Match ([regex]::Escape($file))
        }
    }
}

Describe 'Objects that come back from <How>' -ForEach $transports {
    BeforeAll {
        # Copies of one sample for the 'file is gone' tests: one deleted over there after the
        # clusters were selected and before they travel (so neither serializing nor rehydrating
        # them can read it), one deleted here after they came back.
        $goneBefore = Join-Path $TestDrive "gone-before-$Transport" 'clusters_planeU_batch0000.npz'
        $goneAfter = Join-Path $TestDrive "gone-after-$Transport" 'clusters_planeU_batch0000.npz'
        foreach ($copy in $goneBefore, $goneAfter) {
            $null = New-Item -ItemType Directory -Path (Split-Path -Parent $copy)
            Copy-Item -LiteralPath $sampleFiles[0] -Destination $copy
        }

        $detailFiles = @($pesterExpected.clusters | ForEach-Object { Join-Path $samples $_.file })
        $detailIndexes = @($pesterExpected.clusters | ForEach-Object { [string] $_.index })

        $back = Invoke-Travel -Transport $Transport -Work ([ordered]@{
                All      = @{ Script = { param($p) Get-ClusterStatistics -LiteralPath $p }; Arguments = @($samples) }
                UV       = @{ Script = { param($p) Get-ClusterStatistics -LiteralPath $p }; Arguments = @(, $uvFiles) }
                X        = @{ Script = { param($p) Get-ClusterStatistics -LiteralPath $p }; Arguments = @(, $xFiles) }
                Batches  = @{ Script = { param($p) Get-ClusterBatch -LiteralPath $p }; Arguments = @($samples) }
                Marley   = @{ Script = { param($p) Select-Cluster -LiteralPath $p -Marley }; Arguments = @($samples) }
                Detailed = @{
                    Script    = {
                        param($Files, $Indexes)
                        for ($i = 0; $i -lt $Files.Count; $i++) {
                            Select-Cluster -LiteralPath $Files[$i] | Where-Object Index -EQ ([int] $Indexes[$i])
                        }
                    }
                    Arguments = @(, $detailFiles) + @(, $detailIndexes)
                }
                GoneBefore = @{
                    Script    = {
                        param($p)
                        $clusters = @(Select-Cluster -LiteralPath $p | Select-Object -First 2)
                        Remove-Item -LiteralPath $p
                        $clusters
                    }
                    Arguments = @($goneBefore)
                }
                GoneAfter  = @{ Script = { param($p) Select-Cluster -LiteralPath $p | Select-Object -First 2 }; Arguments = @($goneAfter) }
                Findings = @{ Script = { param($p) Test-ClusterDataset -LiteralPath $p }; Arguments = @($decoys) }
                Files    = @{ Script = { param($p) Get-ChildItem -LiteralPath $p -Filter *.npz }; Arguments = @($samples) }
            })
        $stats = $back.All[0]
    }

    Context 'statistics' {
        It 'come back as one ClusterPS.ClusterStatistics per command' {
            $back.All.Count | Should -Be 1
            Assert-ClusterType $stats ClusterStatistics -Via $Transport
            Assert-ClusterType $back.UV[0] ClusterStatistics -Via $Transport
        }

        It 'have the live numbers, which are NumPy''s' {
            $stats.Clusters | Should -Be $live.All.Clusters
            $stats.Clusters | Should -Be $totals.clusters
            $stats.MarleyPercent | Should -Be $live.All.MarleyPercent
            $stats.MarleyPercent | Should -Be ([double] $totals.marley_percent)
            foreach ($property in 'Batches', 'Bytes', 'PlaneU', 'PlaneV', 'PlaneX', 'ES', 'CC', 'Marley', 'MainTrack',
                'NuEnergyUnknown', 'ParticleEnergyMin', 'ParticleEnergyMax', 'NuEnergyMin', 'NuEnergyMax', 'Source') {
                $stats.$property | Should -Be $live.All.$property -Because "$property must survive the trip"
            }
        }

        It 'print the reference report by default' {
            $text = $stats | Get-Text
            $text | Should -Match '^Dataset Statistics:'
            $text | Should -Match ([regex]::Escape("Total clusters: $($totals.clusters)"))
            $text | Should -BeExactly $referenceReport
        }

        It 'add with + : two shards of the samples make the whole directory' {
            $sum = (Get-Live $back.UV[0]) + $back.X[0]
            $sum.GetType().FullName | Should -Be 'ClusterPS.ClusterStatistics'
            $sum.Clusters | Should -Be $totals.clusters
            $sum.Batches | Should -Be $totals.batches
            $sum.Bytes | Should -Be $totals.bytes
            $sum.MarleyPercent | Should -Be ([double] $totals.marley_percent)
            $sum.Source | Should -Be $samples
            $sum | Get-Text | Should -BeExactly $referenceReport
        }

        It 'count a file once when the same statistics come twice' {
            ((Get-Live $stats) + $stats).Clusters | Should -Be $totals.clusters
            ((Get-Live $back.UV[0]) + $back.UV[0]).Clusters | Should -Be $live.UV.Clusters
            ((Get-Live $back.UV[0]) + $stats).Clusters | Should -Be $totals.clusters
            ((Get-Live $back.UV[0]) + $stats).Batches | Should -Be $totals.batches
        }

        It 'merge when piped into Get-ClusterStatistics' {
            $merged = @($back.UV[0], $back.X[0] | Get-ClusterStatistics)
            $merged.Count | Should -Be 1
            $merged[0].Clusters | Should -Be $totals.clusters
            $merged[0].MarleyPercent | Should -Be ([double] $totals.marley_percent)
            $merged[0].Source | Should -Be $samples
            ($back.UV[0], $back.UV[0] | Get-ClusterStatistics).Clusters | Should -Be $live.UV.Clusters
        }
    }

    Context 'batches' {
        It 'come back as ClusterPS.ClusterBatch with the original full paths and properties' {
            $back.Batches.Count | Should -Be $live.Batches.Count
            $back.Batches | ForEach-Object { Assert-ClusterType $_ ClusterBatch -Via $Transport }
            $back.Batches.Path | Should -Be $live.Batches.Path
            foreach ($property in 'Name', 'Plane', 'BatchNumber', 'Count', 'Layout', 'Length', 'Compressed') {
                @($back.Batches | ForEach-Object { $_.$property }) | Should -Be @($live.Batches | ForEach-Object { $_.$property }) -Because "$property must survive the trip"
            }
            $back.Batches.ForEach({ "$($_.ImageShape)" }) | Should -Be $live.Batches.ForEach({ "$($_.ImageShape)" })
        }

        It 'piped into Get-ClusterStatistics count the original files, not the decoys' {
            $fromBatches = $back.Batches | Get-ClusterStatistics
            $fromBatches.Clusters | Should -Be $totals.clusters
            $fromBatches.Batches | Should -Be $totals.batches
            $fromBatches.Source | Should -Be ($live.Batches | Get-ClusterStatistics).Source
        }

        It 'piped into Select-Cluster select from the original files' {
            $selected = @($back.Batches | Select-Cluster)
            $selected.Count | Should -Be $totals.clusters
            @($selected.Path | Sort-Object -Unique) | Should -Be $sampleFiles
            @($back.Batches | Select-Cluster -Marley).Count | Should -Be $totals.marley
        }

        It 'piped into Test-ClusterDataset -Quiet audit the original files' {
            $back.Batches | Test-ClusterDataset -Quiet | Should -Be $live.Quiet
        }

        It 'piped into Get-ClusterBatch read the original files again' {
            $again = @($back.Batches | Get-ClusterBatch)
            $again.Path | Should -Be $live.Batches.Path
            $again.Count | Should -Be $live.Batches.Count
            @($again | ForEach-Object { $_.Count }) | Should -Be @($live.Batches | ForEach-Object { $_.Count })
        }

        It 'Get-ChildItem output from there binds by its full path too' {
            $back.Files.Count | Should -Be $sampleFiles.Count
            @($back.Files | Get-ClusterBatch).Path | Should -Be $live.Batches.Path
        }
    }

    Context 'clusters' {
        It 'come back as ClusterPS.Cluster with path, index and metadata' {
            $back.Marley.Count | Should -Be $totals.marley
            $back.Marley | ForEach-Object { Assert-ClusterType $_ Cluster -Via $Transport }
            $back.Marley.Path | Should -Be $live.Marley.Path
            $back.Marley.Index | Should -Be $live.Marley.Index
            foreach ($property in 'IsMarley', 'IsMainTrack', 'Interaction', 'Plane', 'ParticleEnergy', 'NuEnergy') {
                @($back.Marley | ForEach-Object { $_.$property }) | Should -Be @($live.Marley | ForEach-Object { $_.$property }) -Because "$property must survive the trip"
            }
        }

        It 'are small: a few KB serialized, no pixels' {
            [System.Management.Automation.PSSerializer]::Serialize($back.Marley[0]).Length | Should -BeLessThan 4096
        }

        It 'read their pixels and charge from their own file, as NumPy has them' {
            $back.Detailed.Count | Should -Be $pesterExpected.clusters.Count
            for ($i = 0; $i -lt $back.Detailed.Count; $i++) {
                $cluster = Get-Live $back.Detailed[$i]
                $expected = $pesterExpected.clusters[$i]
                $liveCluster = Select-Cluster -LiteralPath (Join-Path $samples $expected.file) | Where-Object Index -EQ $expected.index
                $cluster.Path | Should -Be $liveCluster.Path
                $cluster.Index | Should -Be $expected.index
                $cluster.Charge | Should -Be $expected.charge
                $cluster.Charge | Should -Be $liveCluster.Charge
                $cluster.Image[40, 7] | Should -Be $liveCluster.Image[40, 7]
                foreach ($pixel in $expected.pixels) {
                    $cluster.Image[$pixel[0], $pixel[1]] | Should -Be ([float] $pixel[2])
                }
            }
        }

        It 'piped into Get-ClusterStatistics count right' {
            $fromClusters = $back.Marley | Get-ClusterStatistics
            $fromClusters.Clusters | Should -Be $totals.marley
            $fromClusters.Marley | Should -Be $totals.marley
            $fromClusters.Batches | Should -Be $totals.batches
            $fromClusters.Source | Should -Be ($live.Marley | Get-ClusterStatistics).Source
        }

        It 'say that their file is gone, naming it, when their pixels are needed (<_>)' -ForEach 'deleted before they travelled', 'deleted after they came back' {
            if ($_ -like '*before*') {
                $clusters = $back.GoneBefore
                $file = $goneBefore
            }
            else {
                $clusters = $back.GoneAfter
                $file = $goneAfter
                Remove-Item -LiteralPath $file
            }
            Test-Path -LiteralPath $file | Should -BeFalse
            $clusters.Count | Should -Be 2
            Assert-ClusterType $clusters[0] Cluster -Via $Transport
            $cluster = Get-Live $clusters[0]
            $cluster.Path | Should -Be $file
            # Never the pixels of the same-named decoy in the current location (PowerShell turns
            # an exception in a property getter into $null).
            $cluster.Image | Should -BeNullOrEmpty
            $shown = $cluster | Show-Cluster -ErrorVariable problems -ErrorAction SilentlyContinue
            $shown | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].Exception.Message | Should -BeLike "*$file*"
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.*'
        }
    }

    Context 'audit findings' {
        It 'come back as ClusterPS.AuditFinding with the live contents' {
            $back.Findings.Count | Should -Be $live.Findings.Count
            $back.Findings.Count | Should -BeGreaterThan 0
            $back.Findings | ForEach-Object { Assert-ClusterType $_ AuditFinding -Via $Transport }
            foreach ($property in 'Severity', 'Rule', 'Path', 'Index', 'Count', 'Message') {
                @($back.Findings | ForEach-Object { $_.$property }) | Should -Be @($live.Findings | ForEach-Object { $_.$property }) -Because "$property must survive the trip"
            }
        }
    }
}

Describe 'Fan-out: Invoke-Command -HostName to several hosts' {
    It 'brings back one statistics object per host, which merge, counting each file once' {
        # Two host names for the one test server: each host reads the whole samples folder.
        $fanOut = $remote.Clone()
        $fanOut.HostName = '127.0.0.1', 'localhost'
        $parts = @(Invoke-Command @fanOut -ScriptBlock {
                param($Manifest, $Samples)
                Import-Module -Name $Manifest -ErrorAction Stop
                Get-ClusterStatistics -LiteralPath $Samples
            } -ArgumentList $manifest, $samples)
        $parts.Count | Should -Be 2
        @($parts.PSComputerName | Sort-Object) | Should -Be '127.0.0.1', 'localhost'
        $parts | ForEach-Object { Assert-ClusterType $_ ClusterStatistics -Via SSH }
        $merged = $parts | Get-ClusterStatistics
        $merged.Clusters | Should -Be $totals.clusters
        $merged.Batches | Should -Be $totals.batches
        $merged.Source | Should -Be $samples
        ((Get-Live $parts[0]) + $parts[1]).Clusters | Should -Be $totals.clusters
    }
}

Describe 'Ten thousand clusters from Start-Job' {
    It 'come back whole, as ClusterPS clusters of the original files' {
        # 23 passes over the samples: 10,350 clusters.
        $passes = 23
        $job = Start-Job -ScriptBlock {
            param($Manifest, $Paths)
            Import-Module -Name $Manifest -ErrorAction Stop
            Select-Cluster -LiteralPath $Paths
        } -ArgumentList $manifest, (@($samples) * $passes)
        try {
            # Generous for a loaded machine; the benchmark (bench/transport.ps1) measures the time.
            # A bound against a hang, not a timing assertion.
            Wait-Job -Job $job -Timeout 180 | Should -Not -BeNullOrEmpty -Because 'the job must finish (bound: 180 s)'
            $clusters = @(Receive-Job -Job $job -ErrorAction Stop)
        }
        finally {
            Remove-Job -Job $job -Force
        }
        $clusters.Count | Should -Be ($totals.clusters * $passes)
        @($clusters | ForEach-Object { $_.GetType().FullName } | Sort-Object -Unique) | Should -Be 'ClusterPS.Cluster'
        @($clusters.Path | Sort-Object -Unique) | Should -Be $sampleFiles
        $clusters[-1].Charge | Should -Be $live.Clusters[-1].Charge
    }
}

Describe 'Stopping the SSH test server' {
    It 'leaves no sshd or remote PowerShell process behind' {
        Remove-PSSession -Session $script:session
        $script:session = $null
        Stop-TestSshServer $server
        $server.Process.HasExited | Should -BeTrue
        Get-TestSshProcessId $server.Directory | Should -BeNullOrEmpty
        Test-TestSshPort $server.Port | Should -BeFalse
        Test-Path -LiteralPath $server.Directory | Should -BeFalse
    }
}
