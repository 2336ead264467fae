BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $samples = Get-SamplesPath
    $batchX = Join-Path $samples 'clusters_planeX_batch0000.npz'
    $three = @(Select-Cluster -LiteralPath $batchX | Select-Object -First 3)

    function Get-PngSize {
        # Width and height from the IHDR chunk, after checking the PNG signature.
        param([string] $Path)
        $bytes = [IO.File]::ReadAllBytes($Path)
        [BitConverter]::ToString($bytes, 0, 8) | Should -Be '89-50-4E-47-0D-0A-1A-0A'
        [Text.Encoding]::ASCII.GetString($bytes, 12, 4) | Should -Be 'IHDR'
        $be = { param($o) ([int] $bytes[$o] -shl 24) -bor ([int] $bytes[$o + 1] -shl 16) -bor ([int] $bytes[$o + 2] -shl 8) -bor $bytes[$o + 3] }
        [pscustomobject]@{ Width = & $be 16; Height = & $be 20 }
    }
}

Describe 'Export-ClusterImage' {
    BeforeEach {
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    Context 'into a folder' {
        It 'writes one file per cluster named after its batch and index, channels x scale by ticks x scale' {
            $three | Export-ClusterImage -Path $out
            $names = @(Get-ChildItem -LiteralPath $out | Sort-Object Name | ForEach-Object Name)
            $names | Should -Be @($three | ForEach-Object { "clusters_planeX_batch0000_$($_.Index).png" } | Sort-Object)
            foreach ($file in Get-ChildItem -LiteralPath $out) {
                $size = Get-PngSize $file.FullName
                $size.Width | Should -Be (16 * 4)
                $size.Height | Should -Be (128 * 4)
            }
        }

        It 'scales each pixel to a -Scale block' {
            Export-ClusterImage -Path $out -InputObject $three[0] -Scale 2
            $size = Get-PngSize (Join-Path $out "clusters_planeX_batch0000_$($three[0].Index).png")
            $size.Width | Should -Be 32
            $size.Height | Should -Be 256
        }

        It 'adds width only for -ColorBar and margins all round for -Label' {
            Export-ClusterImage -Path "$out/bar" -InputObject $three[0] -Scale 3 -ColorBar
            Export-ClusterImage -Path "$out/label" -InputObject $three[0] -Scale 3 -ColorBar -Label
            $name = "clusters_planeX_batch0000_$($three[0].Index).png"
            $bar = Get-PngSize "$out/bar/$name"
            $label = Get-PngSize "$out/label/$name"
            $bar.Width | Should -BeGreaterThan (16 * 3)
            $bar.Height | Should -Be (128 * 3)
            $label.Width | Should -BeGreaterThan $bar.Width
            $label.Height | Should -BeGreaterThan (128 * 3)
        }

        It 'follows the current PowerShell location for a relative path' {
            Push-Location -LiteralPath $TestDrive
            try {
                $three[0] | Export-ClusterImage -Path ./relative-out
            }
            finally {
                Pop-Location
            }
            Join-Path $TestDrive "relative-out/clusters_planeX_batch0000_$($three[0].Index).png" | Should -Exist
        }

        It 'emits the files with -PassThru and nothing without it' {
            $none = $three | Export-ClusterImage -Path $out
            $none | Should -BeNullOrEmpty
            $files = @($three | Export-ClusterImage -Path "$out/2" -PassThru)
            $files.Count | Should -Be 3
            $files | ForEach-Object { $_ | Should -BeOfType ([IO.FileInfo]) }
            $files[0].FullName | Should -Be ([IO.Path]::GetFullPath("$out/2/clusters_planeX_batch0000_$($three[0].Index).png"))
            $files[0].PSPath | Should -Not -BeNullOrEmpty
        }

        It 'leaves no temporary file behind' {
            $three | Export-ClusterImage -Path $out
            @(Get-ChildItem -LiteralPath $out -Force | Where-Object Name -NotLike '*.png').Count | Should -Be 0
        }
    }

    Context 'with a pattern' {
        It 'replaces {Plane}, {Batch} and {Index} and creates the folders' {
            $mixed = @(
                Select-Cluster -LiteralPath (Join-Path $samples 'clusters_planeU_batch0000.npz') | Select-Object -First 2
                $three[0]
            )
            $mixed | Export-ClusterImage -Path "$out/{Plane}/{Batch}-{Index}.png"
            "$out/U/clusters_planeU_batch0000-$($mixed[0].Index).png" | Should -Exist
            "$out/U/clusters_planeU_batch0000-$($mixed[1].Index).png" | Should -Exist
            "$out/X/clusters_planeX_batch0000-$($three[0].Index).png" | Should -Exist
            @(Get-ChildItem -LiteralPath $out -Recurse -File).Count | Should -Be 3
        }

        It 'accepts the tokens in any case' {
            $three[0] | Export-ClusterImage -Path "$out/{plane}_{INDEX}.png"
            "$out/X_$($three[0].Index).png" | Should -Exist
        }

        It 'refuses to write two clusters to one file name' {
            $three | Export-ClusterImage -Path "$out/{Plane}.png" -ErrorVariable errs -ErrorAction SilentlyContinue
            "$out/X.png" | Should -Exist
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be 'ImageFileNameNotUnique,ClusterPS.Commands.ExportClusterImageCommand'
        }
    }

    Context 'existing files' {
        BeforeEach {
            $three[0] | Export-ClusterImage -Path $out
            $target = Join-Path $out "clusters_planeX_batch0000_$($three[0].Index).png"
            [IO.File]::WriteAllText($target, 'not a png')
        }

        It 'are not overwritten without -Force: ImageFileExists, ResourceExists' {
            $three | Export-ClusterImage -Path $out -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'ImageFileExists,ClusterPS.Commands.ExportClusterImageCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $errs[0].TargetObject | Should -Be $target
            Get-Content -Raw -LiteralPath $target | Should -Be 'not a png'
            @(Get-ChildItem -LiteralPath $out -Filter *.png).Count | Should -Be 3
        }

        It 'are overwritten with -Force' {
            $three[0] | Export-ClusterImage -Path $out -Force
            (Get-PngSize $target).Width | Should -Be 64
            @(Get-ChildItem -LiteralPath $out -Force).Count | Should -Be 1
        }
    }

    Context 'what it refuses' {
        It 'writes nothing with -WhatIf' {
            $three | Export-ClusterImage -Path "$out/{Plane}/{Index}.png" -WhatIf
            $three | Export-ClusterImage -Path $out -WhatIf
            $out | Should -Not -Exist
        }

        It 'writes a ClusterHasNoImage error for a cluster of a metadata-only file and goes on' {
            $metadataOnly = @(Select-Cluster -LiteralPath (Get-TestDataPath 'golden/metadata_only.npz'))
            @($metadataOnly + $three[0]) | Export-ClusterImage -Path $out -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be $metadataOnly.Count
            $errs[0].FullyQualifiedErrorId | Should -Be 'ClusterHasNoImage,ClusterPS.Commands.ExportClusterImageCommand'
            @(Get-ChildItem -LiteralPath $out).Count | Should -Be 1
        }

        It 'refuses a -Scale out of 1-64' {
            { Export-ClusterImage -Path $out -InputObject $three[0] -Scale 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ClusterPS.Commands.ExportClusterImageCommand'
            { Export-ClusterImage -Path $out -InputObject $three[0] -Scale 65 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ClusterPS.Commands.ExportClusterImageCommand'
        }

        It 'refuses a path that is not on the file system' {
            { Export-ClusterImage -Path 'Env:\png' -InputObject $three[0] } | Should -Throw -ErrorId 'NotFileSystemPath,ClusterPS.Commands.ExportClusterImageCommand'
        }
    }
}
