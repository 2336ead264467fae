BeforeDiscovery {
    # What NumPy says about samples/ (tests/data/make_samples_expected.py). Plane and batch
    # number are in the names; samples/README.md says only planeX batch0001 is compressed.
    $expected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/samples_expected.json') | ConvertFrom-Json
    $sampleFiles = @($expected.files | ForEach-Object {
            $null = $_.file -match '_plane(?<plane>[UVX])_batch(?<batch>\d+)\.npz$'
            @{
                Name = $_.file; Plane = $Matches.plane; BatchNumber = [int] $Matches.batch
                Count = $_.stats.clusters; Length = $_.stats.bytes
                Compressed = $_.file -eq 'clusters_planeX_batch0001.npz'
            }
        })

    # The broken files mixed with good ones, with the error code each must give.
    $cases = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/broken/cases.json') | ConvertFrom-Json
    $brokenFiles = @('row_mismatch.npz', 'no_metadata.npz', 'not_a_zip.npz', 'pickled_metadata.npz' | ForEach-Object {
            $file = $_
            @{ File = $file; Code = ($cases | Where-Object file -EQ $file).code }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $samples = Get-SamplesPath
    # Plane then batch order, as a directory is read.
    $sampleNames = @(
        'clusters_planeU_batch0000.npz'
        'clusters_planeV_batch0000.npz'
        'clusters_planeX_batch0000.npz'
        'clusters_planeX_batch0001.npz'
    )

    function Test-FileClosed {
        # True when nothing holds the file open: an exclusive open succeeds.
        param([string] $Path)
        try {
            [IO.File]::Open($Path, 'Open', 'ReadWrite', 'None').Dispose()
            $true
        }
        catch {
            $false
        }
    }
}

Describe 'Get-ClusterBatch' {
    Context 'on the samples directory' {
        BeforeAll {
            $batches = @(Get-ClusterBatch -Path $samples)
        }

        It 'returns one ClusterBatch per file' {
            $batches.Count | Should -Be 4
            $batches | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'ClusterPS.ClusterBatch' }
        }

        It 'returns objects of a type PowerShell can name, [ClusterPS.ClusterBatch]' {
            $batches[0] | Should -BeOfType ([type] 'ClusterPS.ClusterBatch')
        }

        It 'returns the files in plane then batch order' {
            $batches.Name | Should -Be $sampleNames
        }

        It 'describes <Name> as NumPy sees it' -ForEach $sampleFiles {
            $batch = $batches | Where-Object Name -EQ $Name
            $batch.Path | Should -Be (Join-Path $samples $Name)
            $batch.Plane | Should -Be $Plane
            $batch.BatchNumber | Should -Be $BatchNumber
            $batch.Count | Should -Be $Count
            $batch.Layout | Should -Be 'Seed12'
            $batch.Compressed | Should -Be $Compressed
        }

        It 'gives <Name> an image shape that compares equal to ''128x16'' and has Ticks and Channels' -ForEach $sampleFiles {
            $batch = $batches | Where-Object Name -EQ $Name
            $batch.ImageShape -eq '128x16' | Should -BeTrue
            $batch.ImageShape -eq '128x32' | Should -BeFalse
            $batch.ImageShape.Ticks | Should -Be 128
            $batch.ImageShape.Channels | Should -Be 16
        }

        It 'gives <Name> a Length equal to the file size' -ForEach $sampleFiles {
            $batch = $batches | Where-Object Name -EQ $Name
            $batch.Length | Should -Be (Get-Item -LiteralPath (Join-Path $samples $Name)).Length
            $batch.Length | Should -Be $Length
        }

        It 'marks only the savez_compressed file (planeX batch0001) as compressed' {
            @($batches | Where-Object Compressed).Name | Should -Be 'clusters_planeX_batch0001.npz'
        }

        It 'leaves no file open afterwards' {
            foreach ($name in $sampleNames) {
                Test-FileClosed (Join-Path $samples $name) | Should -BeTrue -Because "$name must be closed"
            }
        }
    }

    Context 'paths as a user types them' {
        It 'expands wildcards in -Path' {
            $batches = Get-ClusterBatch -Path (Join-Path $samples 'clusters_planeX_*.npz')
            $batches.Name | Should -Be @('clusters_planeX_batch0000.npz', 'clusters_planeX_batch0001.npz')
        }

        It 'takes the path positionally' {
            (Get-ClusterBatch $samples).Name | Should -Be $sampleNames
        }

        It 'takes several paths, files and directories, in the order given' {
            $batches = Get-ClusterBatch (Join-Path $samples 'clusters_planeV_batch0000.npz'), (Join-Path $samples 'clusters_planeU_batch0000.npz')
            $batches.Name | Should -Be @('clusters_planeV_batch0000.npz', 'clusters_planeU_batch0000.npz')
        }

        It 'resolves ''.'' from the current PowerShell location' {
            Push-Location -LiteralPath $samples
            try {
                $batches = Get-ClusterBatch .
            }
            finally {
                Pop-Location
            }
            $batches.Name | Should -Be $sampleNames
            $batches[0].Path | Should -Be (Join-Path $samples $sampleNames[0])
        }

        It 'resolves a relative wildcard from the current PowerShell location' {
            Push-Location -LiteralPath $samples
            try {
                $batches = Get-ClusterBatch -Path '.\clusters_planeU*', 'clusters_planeV_batch0000.npz'
            }
            finally {
                Pop-Location
            }
            $batches.Name | Should -Be @('clusters_planeU_batch0000.npz', 'clusters_planeV_batch0000.npz')
        }

        It 'resolves a relative -LiteralPath from the current PowerShell location' {
            Push-Location -LiteralPath $samples
            try {
                $batch = Get-ClusterBatch -LiteralPath 'clusters_planeV_batch0000.npz'
            }
            finally {
                Pop-Location
            }
            $batch.Path | Should -Be (Join-Path $samples 'clusters_planeV_batch0000.npz')
        }

        It 'takes files from Get-ChildItem on the pipeline' {
            $batches = Get-ChildItem -LiteralPath $samples -Filter *.npz | Get-ClusterBatch
            @($batches).Count | Should -Be 4
            $batches.Name | Sort-Object | Should -Be ($sampleNames | Sort-Object)
        }

        It 'takes a directory from Get-Item on the pipeline' {
            (Get-Item -LiteralPath $samples | Get-ClusterBatch).Name | Should -Be $sampleNames
        }

        It 'takes path strings on the pipeline' {
            $batches = (Join-Path $samples 'clusters_planeX_batch0001.npz'), (Join-Path $samples 'clusters_planeU_*') | Get-ClusterBatch
            $batches.Name | Should -Be @('clusters_planeX_batch0001.npz', 'clusters_planeU_batch0000.npz')
        }

        It 'accepts the PSPath alias of -LiteralPath' {
            (Get-ClusterBatch -PSPath (Join-Path $samples 'clusters_planeV_batch0000.npz')).Plane | Should -Be 'V'
        }
    }

    Context 'a folder whose name has [brackets] and spaces' {
        BeforeAll {
            $folder = Join-Path $TestDrive 'run [v1] final set'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $file = Join-Path $folder 'clusters_planeU_batch0000.npz'
            Copy-Item -LiteralPath (Join-Path $samples 'clusters_planeU_batch0000.npz') -Destination $file
        }

        It 'reads a file in it through -LiteralPath' {
            $batch = Get-ClusterBatch -LiteralPath $file
            $batch.Path | Should -Be $file
            $batch.Count | Should -Be 40
            $batch.Plane | Should -Be 'U'
        }

        It 'reads the folder itself through -LiteralPath' {
            $batch = Get-ClusterBatch -LiteralPath $folder
            $batch.Path | Should -Be $file
        }

        It 'reads it through -Path when the brackets are escaped' {
            $batch = Get-ClusterBatch -Path ([WildcardPattern]::Escape($file))
            $batch.Path | Should -Be $file
        }

        It 'reads it from Get-ChildItem on the pipeline' {
            (Get-ChildItem -LiteralPath $folder | Get-ClusterBatch).Path | Should -Be $file
        }
    }

    Context '-Plane' {
        It 'keeps only the batches of planes U and V' {
            (Get-ClusterBatch $samples -Plane U, V).Name | Should -Be @('clusters_planeU_batch0000.npz', 'clusters_planeV_batch0000.npz')
        }

        It 'keeps only plane X, whatever the case of the letter' {
            (Get-ClusterBatch $samples -Plane x).Name | Should -Be @('clusters_planeX_batch0000.npz', 'clusters_planeX_batch0001.npz')
        }

        It 'refuses a plane that does not exist' {
            { Get-ClusterBatch $samples -Plane W } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }
    }

    Context '-Recurse into U/ V/ X/ sub-folders with <base>_plane<P>.npz names' {
        BeforeAll {
            $root = Join-Path $TestDrive 'production'
            foreach ($copy in @(
                    @{ From = 'clusters_planeU_batch0000.npz'; To = 'U/run1_planeU.npz' }
                    @{ From = 'clusters_planeV_batch0000.npz'; To = 'V/run1_planeV.npz' }
                    @{ From = 'clusters_planeX_batch0000.npz'; To = 'X/run1_planeX.npz' }
                    @{ From = 'clusters_planeX_batch0001.npz'; To = 'X/run2_planeX.npz' }
                )) {
                $to = Join-Path $root $copy.To
                New-Item -ItemType Directory -Path (Split-Path -Parent $to) -Force | Out-Null
                Copy-Item -LiteralPath (Join-Path $samples $copy.From) -Destination $to
            }
        }

        It 'finds no batch in the top folder without -Recurse' {
            $batches = @(Get-ClusterBatch $root -ErrorVariable errors)
            $batches.Count | Should -Be 0
            $errors | Should -BeNullOrEmpty
        }

        It 'reads every sub-folder with -Recurse, in plane order' {
            (Get-ClusterBatch $root -Recurse).Name | Should -Be @('run1_planeU.npz', 'run1_planeV.npz', 'run1_planeX.npz', 'run2_planeX.npz')
        }

        It 'takes each batch''s plane from its file name and gives no batch number' {
            $batches = Get-ClusterBatch $root -Recurse
            $batches.Plane | Should -Be @('U', 'V', 'X', 'X')
            $batches | ForEach-Object { $_.BatchNumber | Should -BeNullOrEmpty }
            $batches.ForEach({ $_.Count }) | Should -Be @(40, 60, 200, 150)
        }

        It 'combines -Recurse with -Plane' {
            (Get-ClusterBatch $root -Recurse -Plane X).Name | Should -Be @('run1_planeX.npz', 'run2_planeX.npz')
        }
    }

    Context 'a missing path' {
        It 'writes an ObjectNotFound PathNotFound error like Get-Item and goes on with the other paths' {
            $missing = Join-Path $TestDrive 'nothere.npz'
            $batches = Get-ClusterBatch -Path $missing, (Join-Path $samples 'clusters_planeV_batch0000.npz') -ErrorVariable errors -ErrorAction SilentlyContinue

            $batches.Name | Should -Be 'clusters_planeV_batch0000.npz'
            $errors.Count | Should -Be 1
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $errors[0].Exception | Should -BeOfType ([System.Management.Automation.ItemNotFoundException])
            $errors[0].Exception.Message | Should -BeLike "*'$missing'*"
        }

        It 'gives the same error category and id as Get-Item' {
            $missing = Join-Path $TestDrive 'nothere.npz'
            Get-Item -Path $missing -ErrorVariable itemErrors -ErrorAction SilentlyContinue
            Get-ClusterBatch -Path $missing -ErrorVariable batchErrors -ErrorAction SilentlyContinue

            $batchErrors[0].CategoryInfo.Category | Should -Be $itemErrors[0].CategoryInfo.Category
            $batchErrors[0].FullyQualifiedErrorId.Split(',')[0] | Should -Be $itemErrors[0].FullyQualifiedErrorId.Split(',')[0]
            $batchErrors[0].Exception.GetType() | Should -Be $itemErrors[0].Exception.GetType()
        }

        It 'writes PathNotFound for a missing -LiteralPath and goes on' {
            $missing = Join-Path $TestDrive 'no [such] file.npz'
            $batches = Get-ClusterBatch -LiteralPath $missing, (Join-Path $samples 'clusters_planeU_batch0000.npz') -ErrorVariable errors -ErrorAction SilentlyContinue

            $batches.Name | Should -Be 'clusters_planeU_batch0000.npz'
            $errors.Count | Should -Be 1
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }

        It 'makes a missing path terminating with -ErrorAction Stop' {
            { Get-ClusterBatch -Path (Join-Path $TestDrive 'nothere.npz') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        }
    }

    # A -Path without wildcards is resolved without the provider's globbing: these hold it to what
    # globbing answers.
    Context '-Path without wildcard characters' {
        It 'finds relative, dotted and doubled-slash paths as -LiteralPath does' {
            Push-Location $samples
            try {
                $relative = @(Get-ClusterBatch -Path 'clusters_planeU_batch0000.npz', './clusters_planeV_batch0000.npz', "..$([IO.Path]::DirectorySeparatorChar)samples//clusters_planeX_batch0000.npz")
                $relative.Path | Should -Be @(
                    (Join-Path $samples 'clusters_planeU_batch0000.npz'), (Join-Path $samples 'clusters_planeV_batch0000.npz'), (Join-Path $samples 'clusters_planeX_batch0000.npz'))
                @(Get-ClusterBatch -Path .).Count | Should -Be @(Get-ClusterBatch -LiteralPath $samples).Count
            }
            finally {
                Pop-Location
            }
        }

        It 'still reads a bracketed name through an escaped -Path' {
            $odd = Join-Path $TestDrive 'odd'
            New-Item -ItemType Directory -Path $odd | Out-Null
            Copy-Item -LiteralPath (Join-Path $samples 'clusters_planeU_batch0000.npz') -Destination (Join-Path $odd 'run[1]_planeU.npz')
            (Get-ClusterBatch -Path (Join-Path $odd 'run`[1`]_planeU.npz')).Name | Should -Be 'run[1]_planeU.npz'
        }

        It 'gives another provider''s paths the errors globbing gives: not found when missing, not a file system path when there' {
            Get-ClusterBatch -Path 'Env:CLUSTERPS_NO_SUCH_VARIABLE' -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            Get-ClusterBatch -Path 'Env:PATH' -ErrorVariable there -ErrorAction SilentlyContinue
            $there[0].FullyQualifiedErrorId | Should -BeLike 'NotFileSystemPath,*'
        }
    }

    Context 'broken files among good ones' {
        BeforeAll {
            $broken = Get-TestDataPath 'broken'
            $mixed = Join-Path $TestDrive 'mixed'
            New-Item -ItemType Directory -Path $mixed | Out-Null
            'clusters_planeU_batch0000.npz', 'clusters_planeX_batch0001.npz' | ForEach-Object {
                Copy-Item -LiteralPath (Join-Path $samples $_) -Destination $mixed
            }
            'row_mismatch.npz', 'no_metadata.npz', 'not_a_zip.npz', 'pickled_metadata.npz' | ForEach-Object {
                Copy-Item -LiteralPath (Join-Path $broken $_) -Destination $mixed
            }

            $batches = @(Get-ClusterBatch $mixed -ErrorVariable errors -ErrorAction SilentlyContinue)
        }

        It 'still returns the good files' {
            $batches.Name | Should -Be @('clusters_planeU_batch0000.npz', 'clusters_planeX_batch0001.npz')
            $batches.ForEach({ $_.Count }) | Should -Be @(40, 150)
        }

        It 'writes one non-terminating error per broken file' {
            $errors.Count | Should -Be 4
            $errors.TargetObject | Sort-Object | Should -Be @(
                'no_metadata.npz', 'not_a_zip.npz', 'pickled_metadata.npz', 'row_mismatch.npz' | ForEach-Object { Join-Path $mixed $_ })
        }

        It 'reports <File> as InvalidData with id ClusterPS.<Code>, the file as target and its name in the message' -ForEach $brokenFiles {
            $path = Join-Path $mixed $File
            $errorRecord = $errors | Where-Object TargetObject -EQ $path
            $errorRecord | Should -HaveCount 1
            $errorRecord.CategoryInfo.Category | Should -Be 'InvalidData'
            $errorRecord.FullyQualifiedErrorId | Should -BeLike "ClusterPS.$Code,*"
            $errorRecord.Exception.Message | Should -BeLike "*$File*"
        }

        It 'reports the module''s own format error, never a raw .NET exception' {
            $errors | ForEach-Object { $_.Exception.GetType().FullName | Should -Be 'ClusterPS.Npz.NpzFormatException' }
        }

        It 'makes a broken file terminating with -ErrorAction Stop' {
            { Get-ClusterBatch -LiteralPath (Join-Path $mixed 'no_metadata.npz') -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterPS.MissingMember,*'
        }

        It 'returns the good files read before -ErrorAction Stop ends the command' {
            $seen = [System.Collections.Generic.List[object]]::new()
            {
                Get-ClusterBatch -LiteralPath (Join-Path $mixed 'clusters_planeU_batch0000.npz'), (Join-Path $mixed 'row_mismatch.npz') -ErrorAction Stop |
                    ForEach-Object { $seen.Add($_) }
            } | Should -Throw -ErrorId 'ClusterPS.RowCountMismatch,*'
            $seen.Name | Should -Be 'clusters_planeU_batch0000.npz'
        }

        It 'collects the errors with -ErrorVariable, also when they are not shown' {
            Get-ClusterBatch $mixed -ErrorVariable collected -ErrorAction SilentlyContinue | Out-Null
            $collected.Count | Should -Be 4
            $collected.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'ClusterPS.*' }
        }

        It 'leaves no file open after the errors' {
            Get-ClusterBatch $mixed -ErrorAction SilentlyContinue | Out-Null
            Get-ChildItem -LiteralPath $mixed -File | ForEach-Object {
                Test-FileClosed $_.FullName | Should -BeTrue -Because "$($_.Name) must be closed"
            }
        }

        It 'leaves a broken file closed after -ErrorAction Stop' {
            $path = Join-Path $mixed 'row_mismatch.npz'
            { Get-ClusterBatch -LiteralPath $path -ErrorAction Stop } | Should -Throw
            Test-FileClosed $path | Should -BeTrue
        }
    }

    Context 'layouts' {
        It 'refuses a 13-column file with ClusterPS.LayoutMismatch and tells the user to pass -Layout' {
            $path = Get-TestDataPath 'pester/columns13_planeX.npz'
            $batches = @(Get-ClusterBatch -LiteralPath $path -ErrorVariable errors -ErrorAction SilentlyContinue)

            $batches.Count | Should -Be 0
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.LayoutMismatch,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].TargetObject | Should -Be $path
            $errors[0].Exception.Message | Should -BeLike '*columns13_planeX.npz*'
            $errors[0].Exception.Message | Should -BeLike '*13*'
            $errors[0].Exception.Message | Should -BeLike '*-Layout*'
        }

        It 'refuses a Legacy11 file read with -Layout Seed12' {
            $path = Get-TestDataPath 'golden/legacy11/clusters_planeV_batch0000.npz'
            { Get-ClusterBatch -LiteralPath $path -Layout Seed12 -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterPS.LayoutMismatch,*'
        }

        It 'detects the Legacy11 and Momentum15 golden files' {
            (Get-ClusterBatch (Get-TestDataPath 'golden/legacy11')).Layout | Should -Be 'Legacy11'
            (Get-ClusterBatch (Get-TestDataPath 'golden/momentum15')).Layout | Should -Be 'Momentum15'
        }
    }
    Context 'directories without batch files at the top' {
        BeforeAll {
            $script:Nested = Join-Path $TestDrive 'nested'
            $null = New-Item -ItemType Directory -Path (Join-Path $script:Nested 'U')
            Copy-Item -LiteralPath (Get-SamplesPath 'clusters_planeU_batch0000.npz') -Destination (Join-Path $script:Nested 'U' 'run7_planeU.NPZ')
        }

        It 'warns that the folder holds no batch files and hints at -Recurse when sub-folders do' {
            $batches = @(Get-ClusterBatch $script:Nested -WarningVariable warnings -WarningAction SilentlyContinue)
            $batches | Should -BeNullOrEmpty
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike "*$($script:Nested)*no .npz batch files*add -Recurse*"
        }

        It 'finds batch files whose extension is upper case' {
            $batch = Get-ClusterBatch $script:Nested -Recurse
            $batch.Name | Should -Be 'run7_planeU.NPZ'
            $batch.Plane | Should -Be 'U'
            $batch.Count | Should -Be 40
        }
    }
}
