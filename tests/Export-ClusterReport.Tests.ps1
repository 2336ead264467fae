# Export-ClusterReport as a user types it; the report is opened in headless Chromium (Debian's
# chromium package, which .ci/run installs) and checked on what the browser rendered.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $samples = Get-SamplesPath
    $stats = (Get-Content -Raw -LiteralPath (Get-TestDataPath 'samples_expected.json') | ConvertFrom-Json).total.stats
    $dataset = Join-Path $TestDrive 'dataset'
    $null = New-Item -ItemType Directory -Path $dataset
    Copy-Item (Join-Path $samples '*.npz') $dataset
    # A broken batch among good ones: 'images' holds 4 clusters but 'metadata' has 5 rows.
    Copy-Item (Get-TestDataPath 'broken/row_mismatch.npz') (Join-Path $dataset 'clusters_planeV_batch0001.npz')

    $browser = (Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    function Invoke-Browser {
        # Runs headless Chromium on a file and returns what it printed (the DOM with -DumpDom).
        param([string] $File, [string[]] $Arguments)
        if (-not $browser) { throw 'Chromium is not installed: apt-get install chromium (.ci/run installs it).' }
        $userData = Join-Path $TestDrive ('chromium-' + [guid]::NewGuid().ToString('N'))
        $uri = [uri]::new("file://$File").AbsoluteUri
        & $browser --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$userData @Arguments $uri 2>$null
        if ($LASTEXITCODE -ne 0) { throw "chromium exited with $LASTEXITCODE" }
    }

    $report = Join-Path $TestDrive 'report.html'
    $dataset | Export-ClusterReport $report -ErrorVariable reportErrors -ErrorAction SilentlyContinue
    $html = Get-Content -Raw -LiteralPath $report
    $dom = (Invoke-Browser $report '--dump-dom') -join "`n"
}

Describe 'Export-ClusterReport' {
    Context 'a dataset with a broken file' {
        It 'writes the report and names the broken file in a non-terminating error' {
            $report | Should -Exist
            $reportErrors.Count | Should -Be 1
            $reportErrors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.RowCountMismatch,*'
            $reportErrors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            "$($reportErrors[0])" | Should -Match 'clusters_planeV_batch0001.npz'
        }

        It 'renders in Chromium with the statistics of the readable files' {
            $dom | Should -Match "Total clusters: $($stats.clusters)"
            $dom | Should -Match "Total batches: $($stats.batches)"
            $dom | Should -Match "Marley clusters: $($stats.marley) \($('{0:F1}' -f $stats.marley_percent)%\)"
            $dom | Should -Match '<tr id="total-clusters"><th>Clusters</th><td class="n">450</td>'
        }

        It 'renders at least three charts as inline SVG with axes, and the example pictures as PNG' {
            $svgs = [regex]::Matches($dom, '<svg ')
            $svgs.Count | Should -BeGreaterOrEqual 3
            $dom | Should -Match '>true particle energy \(MeV\)</text>'
            $dom | Should -Match '>sum of pixels</text>'
            $dom | Should -Match '>Marley \(77\)</text>'
            [regex]::Matches($dom, '<img [^>]*src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"').Count | Should -BeGreaterOrEqual 2
            $dom | Should -Match '<h3>Marley</h3>'
            $dom | Should -Match '<h3>Background</h3>'
        }

        It 'names the broken file among the unreadable files and in the audit' {
            $dom | Should -Match '1 file could not be read'
            $dom | Should -Match ([regex]::Escape((Join-Path $dataset 'clusters_planeV_batch0001.npz')))
            $dom | Should -Match '<td>RowCountMismatch</td><td><code>clusters_planeV_batch0001.npz</code>'
        }

        It 'loads nothing from the network: no URL, script, style sheet or font link' {
            $html | Should -Not -Match 'https?:'
            $html | Should -Not -Match '<script'
            $html | Should -Not -Match '<link'
            $html | Should -Not -Match '@import|url\((?!#)'  # only the SVGs' own clip paths
            $html | Should -Match '<meta name="viewport" content="width=device-width, initial-scale=1">'
            $html | Should -Match '@media print'
        }

        It 'looks like a page: a screenshot at desktop and phone widths' {
            foreach ($size in '1100,2400', '390,2400') {
                $png = Join-Path $TestDrive "report-$($size -replace ',', 'x').png"
                Invoke-Browser $report "--screenshot=$png", "--window-size=$size", '--hide-scrollbars' | Out-Null
                $png | Should -Exist
                (Get-Item $png).Length | Should -BeGreaterThan 50KB
            }
        }

        It 'is one small file' {
            (Get-Item $report).Length | Should -BeLessThan 1MB
            @(Get-ChildItem -LiteralPath $TestDrive -Filter '.*.tmp' -Force).Count | Should -Be 0
        }
    }

    Context 'inputs' {
        It 'takes batches from Get-ClusterBatch' {
            $file = Join-Path $TestDrive 'batches.html'
            Get-ClusterBatch $samples | Export-ClusterReport -Path $file
            Get-Content -Raw $file | Should -Match 'Total clusters: 450'
        }

        It 'takes files from Get-ChildItem, and -Recurse folders' {
            $file = Join-Path $TestDrive 'files.html'
            Get-ChildItem $samples -Filter *.npz | Export-ClusterReport $file
            Get-Content -Raw $file | Should -Match 'Total batches: 4'
            $deep = Join-Path $TestDrive 'deep'
            $null = New-Item -ItemType Directory -Path (Join-Path $deep 'U')
            Copy-Item (Join-Path $samples 'clusters_planeU_batch0000.npz') (Join-Path $deep 'U')
            $deep | Export-ClusterReport (Join-Path $TestDrive 'deep.html') -Recurse
            Get-Content -Raw (Join-Path $TestDrive 'deep.html') | Should -Match 'Total clusters: 40'
        }

        It '-Title names the page, -Layout reads (and audits) with that layout' {
            $file = Join-Path $TestDrive 'titled.html'
            $samples | Export-ClusterReport $file -Title 'Nightly <run 7>' -Layout Legacy11 -ErrorVariable problems -ErrorAction SilentlyContinue
            $page = (Invoke-Browser $file '--dump-dom') -join "`n"
            $page | Should -Match '<title>Nightly &lt;run 7&gt;</title>'
            $page | Should -Match '<h1>Nightly &lt;run 7&gt;</h1>'
            # The samples have 12 columns: read as Legacy11 (11) every file is refused, and named.
            $problems.Count | Should -Be 4
            $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ClusterPS.LayoutMismatch,*' }
            $page | Should -Match '4 files could not be read'
            $page | Should -Match 'Total clusters: 0'
            $page | Should -Match 'Particle energy: no clusters.'
        }

        It 'refuses clusters and statistics on the pipeline' {
            $file = Join-Path $TestDrive 'stats.html'
            Get-ClusterStatistics $samples | Export-ClusterReport $file -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedInput,*'
        }

        It 'a missing input path behaves like Get-Item' {
            { Join-Path $TestDrive 'nope' | Export-ClusterReport (Join-Path $TestDrive 'nope.html') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        }
    }

    Context 'writing' {
        It 'does not overwrite without -Force, and does with it' {
            $file = Join-Path $TestDrive 'again.html'
            Set-Content -LiteralPath $file -Value 'keep me'
            { $samples | Export-ClusterReport $file -ErrorAction Stop } | Should -Throw -ErrorId 'ReportFileExists,*'
            Get-Content -Raw $file | Should -Be "keep me`n"
            $samples | Export-ClusterReport $file -Force
            Get-Content -Raw $file | Should -Match 'Total clusters: 450'
        }

        It '-WhatIf writes nothing, -PassThru returns the file' {
            $file = Join-Path $TestDrive 'whatif.html'
            $samples | Export-ClusterReport $file -WhatIf
            $file | Should -Not -Exist
            $item = $samples | Export-ClusterReport $file -PassThru
            $item | Should -BeOfType [System.IO.FileInfo]
            $item.FullName | Should -Be $file
        }

        It '-LiteralPath takes names with wildcard characters; relative paths follow the location' {
            Push-Location $TestDrive
            try {
                $samples | Export-ClusterReport -LiteralPath 'report[1].html'
                Test-Path -LiteralPath (Join-Path $TestDrive 'report[1].html') | Should -BeTrue
                $samples | Export-ClusterReport ./sub/relative.html
                Join-Path $TestDrive 'sub/relative.html' | Should -Exist
            } finally {
                Pop-Location
            }
        }

        It 'refuses a path that is not on the file system, or a folder, and writes nothing' {
            { $samples | Export-ClusterReport -Path 'Env:/ClusterPSReport' } | Should -Throw -ErrorId 'NotFileSystemPath,*'
            Test-Path Env:/ClusterPSReport | Should -BeFalse
            { $samples | Export-ClusterReport -Path $TestDrive } | Should -Throw -ErrorId 'ReportPathIsFolder,*'
        }
    }
}
