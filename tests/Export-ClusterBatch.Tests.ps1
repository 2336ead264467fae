# Export-ClusterBatch: files NumPy loads to exactly the arrays it would select itself, that read
# back to identical clusters; batch naming and splitting, compression, ShouldProcess and
# -PassThru, converting other layouts to the seed one, and the clusters it must refuse.
# Faults.Tests.ps1 covers Ctrl+C, a full disk, a write-protected folder and -Force.
#
# NumPy (/usr/bin/python3) is the judge: a small script (written to TestDrive) describes the
# exported files and computes NumPy's own selection from the source files with boolean masks,
# as SHA-256 digests of the raw little-endian float32 bytes, so the comparison is bit for bit.

BeforeDiscovery {
    # Every golden variant with images in the seed layout: other dtypes, byte orders, Fortran
    # order, NPY versions, zip64 forms, deflate. (legacy11/, momentum15/, metadata_only and
    # zero_clusters have tests of their own.)
    $goldenCases = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'data/golden') -Filter *.npz |
            Where-Object Name -NotIn 'metadata_only.npz', 'zero_clusters_planeX.npz' |
            ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $script:Samples = Get-SamplesPath
    $script:Golden = Get-TestDataPath 'golden'
    $script:Python = '/usr/bin/python3'

    $script:NumpyScript = Join-Path $TestDrive 'numpy_judge.py'
    Set-Content -LiteralPath $script:NumpyScript -Encoding utf8NoBOM -Value @'
import argparse, glob, hashlib, io, json, os, sys, zipfile
import numpy as np

def npy_header(raw):
    fp = io.BytesIO(raw)
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
    return {'version': '%d.%d' % version, 'shape': list(shape), 'fortran_order': bool(fortran), 'descr': dtype.str}

def as_f4_bytes(a):
    return np.ascontiguousarray(a, dtype='<f4').tobytes()

def inspect(directory):
    files = sorted(glob.glob(os.path.join(directory, '*.npz')))
    himg, hmeta = hashlib.sha256(), hashlib.sha256()
    result = {'files': [], 'count': 0}
    for f in files:
        entry = {'name': os.path.basename(f), 'members': [], 'npy_bytes_as_numpy': True}
        with zipfile.ZipFile(f) as z:
            assert z.testzip() is None, f
            for info in z.infolist():
                raw = z.read(info.filename)
                member = {'name': info.filename, 'compress_type': info.compress_type}
                member.update(npy_header(raw))
                entry['members'].append(member)
                # NumPy's own bytes for the same array (np.save): header padding, order, data.
                buf = io.BytesIO()
                np.save(buf, np.load(io.BytesIO(raw), allow_pickle=False), allow_pickle=False)
                if buf.getvalue() != raw:
                    entry['npy_bytes_as_numpy'] = False
        with np.load(f, allow_pickle=False) as z:
            images, meta = z['images'], z['metadata']
        entry['files_in_npz'] = sorted(z.files)
        entry['images'] = {'dtype': images.dtype.str, 'shape': list(images.shape),
                           'c_contiguous': bool(images.flags.c_contiguous)}
        entry['metadata'] = {'dtype': meta.dtype.str, 'shape': list(meta.shape),
                             'c_contiguous': bool(meta.flags.c_contiguous)}
        entry['count'] = int(meta.shape[0])
        entry['planes'] = sorted(set(float(v) for v in meta[:, 10])) if meta.shape[0] else []
        entry['is_es'] = sorted(set(float(v) for v in meta[:, 11])) if meta.shape[0] else []
        himg.update(as_f4_bytes(images))
        hmeta.update(as_f4_bytes(meta))
        result['count'] += entry['count']
        result['files'].append(entry)
    result['images_sha256'] = himg.hexdigest()
    result['metadata_sha256'] = hmeta.hexdigest()
    return result

def select(mask_expr, files, columns, append):
    # NumPy's own selection: boolean mask over each source file's metadata, in file order.
    himg, hmeta = hashlib.sha256(), hashlib.sha256()
    count = 0
    for f in files:
        with np.load(f, allow_pickle=False) as z:
            images, m = z['images'], z['metadata']
        mask = eval(mask_expr, {'np': np}, {'m': m})
        sel = m[mask]
        if columns is not None:
            sel = sel[:, columns]
        if append is not None:
            sel = np.hstack([sel, np.full((sel.shape[0], 1), append, dtype=sel.dtype)])
        himg.update(as_f4_bytes(images[mask]))
        hmeta.update(as_f4_bytes(sel))
        count += int(mask.sum())
    return {'count': count, 'images_sha256': himg.hexdigest(), 'metadata_sha256': hmeta.hexdigest()}

p = argparse.ArgumentParser()
p.add_argument('mode')
p.add_argument('--dir')
p.add_argument('--mask', default='np.ones(len(m), bool)')
p.add_argument('--columns')
p.add_argument('--append', type=float)
p.add_argument('--files', nargs='*', default=[])
a = p.parse_args()
if a.mode == 'inspect':
    print(json.dumps(inspect(a.dir)))
else:
    cols = [int(c) for c in a.columns.split(',')] if a.columns else None
    print(json.dumps(select(a.mask, a.files, cols, a.append)))
'@

    function Invoke-NumpyInspect {
        # What NumPy sees in the exported folder (files in name order = plane then batch order).
        param([string] $Directory)
        $json = & $script:Python $script:NumpyScript inspect --dir $Directory 2>&1
        if ($LASTEXITCODE -ne 0) { throw "NumPy could not inspect '$Directory': $($json -join "`n")" }
        ($json -join "`n") | ConvertFrom-Json
    }

    function Invoke-NumpySelect {
        # NumPy's own selection from source files: a mask over metadata 'm', optional column reorder/append.
        param([string] $Mask = 'np.ones(len(m), bool)', [string[]] $Files, [string] $Columns, [Nullable[double]] $Append)
        $arguments = @('select', '--mask', $Mask)
        if ($Columns) { $arguments += @('--columns', $Columns) }
        if ($null -ne $Append) { $arguments += @('--append', [string] $Append) }
        $json = & $script:Python $script:NumpyScript @arguments --files @Files 2>&1
        if ($LASTEXITCODE -ne 0) { throw "NumPy could not select: $($json -join "`n")" }
        ($json -join "`n") | ConvertFrom-Json
    }

    function Get-SampleFiles {
        # The sample files in the order Select-Cluster reads a directory: plane, then batch.
        @('clusters_planeU_batch0000.npz', 'clusters_planeV_batch0000.npz', 'clusters_planeX_batch0000.npz', 'clusters_planeX_batch0001.npz') |
            ForEach-Object { Join-Path $script:Samples $_ }
    }

    function Get-Leftovers {
        # Anything in an export folder besides finished batch files: temporary or hidden files.
        param([string] $Directory)
        if (-not (Test-Path -LiteralPath $Directory)) { return }
        Get-ChildItem -LiteralPath $Directory -Force -Recurse |
            Where-Object { $_.Name -notmatch '^clusters_plane[UVX]_batch\d{4}\.npz$' } |
            ForEach-Object Name
    }

    function Get-Fingerprint {
        # Everything a cluster says, exactly (floats by their bits), except where it was read from.
        param([Parameter(ValueFromPipeline)] $Cluster, [switch] $NoLayout)
        process {
            $c = $Cluster
            $bits = { param([float] $f) [BitConverter]::SingleToInt32Bits($f).ToString('x8') }
            $vector = { param($v) if ($null -eq $v) { 'null' } else { '{0},{1},{2}' -f (& $bits $v.X), (& $bits $v.Y), (& $bits $v.Z) } }
            $image = $c.Image
            $imageBytes = [byte[]]::new($image.Length * 4)
            [Buffer]::BlockCopy($image, 0, $imageBytes, 0, $imageBytes.Length)
            $metaBytes = [byte[]]::new($c.Metadata.Length * 4)
            [Buffer]::BlockCopy($c.Metadata, 0, $metaBytes, 0, $metaBytes.Length)
            $sha = [Security.Cryptography.SHA256]::HashData
            @(
                "marley=$($c.IsMarley)", "main=$($c.IsMainTrack)"
                "pos=$(& $vector $c.Position)", "dir=$(& $vector $c.Direction)"
                "nu=$(if ($null -eq $c.NuEnergy) { 'null' } else { & $bits $c.NuEnergy })"
                "e=$(& $bits $c.ParticleEnergy)", "planeId=$($c.PlaneId)", "plane=$($c.Plane)"
                "interaction=$($c.Interaction)", "charge=$($c.Charge.ToString('R'))"
                "shape=$($image.GetLength(0))x$($image.GetLength(1))"
                "image=$([Convert]::ToHexString($sha.Invoke($imageBytes)))"
                "meta=$([Convert]::ToHexString($sha.Invoke($metaBytes)))"
            ) -join ' '
        }
    }
}

Describe 'Export-ClusterBatch' {
    AfterEach {
        # No temporary (*.tmp) or hidden files may be left anywhere after any export.
        $leftovers = @(Get-ChildItem -LiteralPath $TestDrive -Recurse -Force -File |
                Where-Object { $_.Name -like '*.tmp' -or $_.Name.StartsWith('.') } | ForEach-Object FullName)
        if ($leftovers) { throw "Temporary files left behind: $($leftovers -join ', ')" }
    }

    Context 'NumPy loads what it writes to identical arrays' {
        It 'writes the Marley clusters of plane X as NumPy selects them with masks, bit for bit' {
            $out = Join-Path $TestDrive 'x-marley'
            Select-Cluster -Path $script:Samples -Plane X -Marley | Export-ClusterBatch -Path $out

            $written = Invoke-NumpyInspect $out
            $expected = Invoke-NumpySelect -Mask '(m[:, 10] == 2) & (m[:, 0] == 1)' -Files (Get-SampleFiles)
            $expected.count | Should -Be 57
            $written.count | Should -Be $expected.count
            $written.files.name | Should -Be 'clusters_planeX_batch0000.npz'
            $written.images_sha256 | Should -Be $expected.images_sha256
            $written.metadata_sha256 | Should -Be $expected.metadata_sha256
            Get-Leftovers $out | Should -BeNullOrEmpty
        }

        It 'writes all 450 sample clusters as NumPy loads them, bit for bit' {
            $out = Join-Path $TestDrive 'all'
            Select-Cluster -Path $script:Samples | Export-ClusterBatch -Path $out

            $written = Invoke-NumpyInspect $out
            $expected = Invoke-NumpySelect -Files (Get-SampleFiles)
            $expected.count | Should -Be 450
            $written.count | Should -Be 450
            $written.images_sha256 | Should -Be $expected.images_sha256
            $written.metadata_sha256 | Should -Be $expected.metadata_sha256
            Get-Leftovers $out | Should -BeNullOrEmpty
        }

        It 'writes float32 C-order arrays N x 128 x 16 and N x 12 in members images.npy and metadata.npy' {
            $out = Join-Path $TestDrive 'layout-check'
            Select-Cluster -Path $script:Samples -Marley:$false | Export-ClusterBatch -Path $out
            $written = Invoke-NumpyInspect $out

            $written.files.Count | Should -Be 3
            foreach ($file in $written.files) {
                $file.files_in_npz | Should -Be @('images', 'metadata')
                ($file.members.name | Sort-Object) | Should -Be @('images.npy', 'metadata.npy')
                $file.images.dtype | Should -Be '<f4'
                $file.metadata.dtype | Should -Be '<f4'
                $file.images.shape | Should -Be @($file.count, 128, 16)
                $file.metadata.shape | Should -Be @($file.count, 12)
                $file.images.c_contiguous | Should -BeTrue
                $file.metadata.c_contiguous | Should -BeTrue
                $file.members | ForEach-Object {
                    $_.fortran_order | Should -BeFalse
                    $_.descr | Should -Be '<f4'
                    $_.version | Should -Be '1.0'
                }
            }
        }

        It 'writes NPY members byte-identical to what np.save writes for the same arrays' {
            $out = Join-Path $TestDrive 'npy-bytes'
            Select-Cluster -Path $script:Samples -Plane U, V | Export-ClusterBatch -Path $out -BatchSize 7
            $written = Invoke-NumpyInspect $out
            $written.files.Count | Should -BeGreaterThan 1
            $written.files | Where-Object { -not $_.npy_bytes_as_numpy } | ForEach-Object name | Should -BeNullOrEmpty
        }

        It 'writes the clusters of golden/<Name> as NumPy reads them, converted to float32' -ForEach $goldenCases {
            $sourceFile = Join-Path $script:Golden $Name
            $out = Join-Path $TestDrive "golden-$Name"
            Select-Cluster -LiteralPath $sourceFile | Export-ClusterBatch -Path $out -ErrorVariable failures
            $failures.Count | Should -Be 0

            $written = Invoke-NumpyInspect $out
            $expected = Invoke-NumpySelect -Files $sourceFile
            $written.files.Count | Should -Be 1
            $written.count | Should -Be $expected.count
            $written.images_sha256 | Should -Be $expected.images_sha256
            $written.metadata_sha256 | Should -Be $expected.metadata_sha256
            $written.files[0].images.dtype | Should -Be '<f4'
            $written.files[0].metadata.dtype | Should -Be '<f4'
        }

        It 'writes into a relative -Path under the current PowerShell location' {
            Push-Location -LiteralPath $TestDrive
            try {
                Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path 'relative/out'
            }
            finally {
                Pop-Location
            }
            Test-Path -LiteralPath (Join-Path $TestDrive 'relative/out/clusters_planeU_batch0000.npz') | Should -BeTrue
        }

        It 'loads with np.load(allow_pickle=False) in a separate Python process' {
            $out = Join-Path $TestDrive 'no-pickle'
            Select-Cluster -Path $script:Samples -Plane V | Export-ClusterBatch -Path $out
            $code = "import numpy as np, sys; z = np.load(sys.argv[1], allow_pickle=False); print(z['images'].shape, z['metadata'].shape, z['images'].dtype, z['metadata'].dtype)"
            $text = & $script:Python -c $code (Join-Path $out 'clusters_planeV_batch0000.npz') 2>&1
            $LASTEXITCODE | Should -Be 0
            "$text" | Should -Be '(60, 128, 16) (60, 12) float32 float32'
        }
    }

    Context 'reading the export back gives identical clusters' {
        BeforeAll {
            $script:RoundTripOut = Join-Path $TestDrive 'roundtrip'
            $script:Source = @(Select-Cluster -Path $script:Samples)
            $script:Source | Export-ClusterBatch -Path $script:RoundTripOut -BatchSize 100
            $script:Back = @(Select-Cluster -Path $script:RoundTripOut)
        }

        It 'reads back as many clusters as were written, in the same order' {
            $script:Back.Count | Should -Be 450
            ($script:Back | ForEach-Object Plane) -join '' | Should -Be (($script:Source | ForEach-Object Plane) -join '')
        }

        It 'gives every cluster the same metadata row, image, charge and decoded fields' {
            $before = @($script:Source | Get-Fingerprint)
            $after = @($script:Back | Get-Fingerprint)
            $different = for ($i = 0; $i -lt $before.Count; $i++) {
                if ($before[$i] -ne $after[$i]) { "cluster $i of the input:`n  $($before[$i])`n  $($after[$i])" }
            }
            $different | Should -BeNullOrEmpty
        }

        It 'keeps unknown neutrino energies unknown, ES/CC and flags as they were' {
            @($script:Back | Where-Object { $null -eq $_.NuEnergy }).Count | Should -Be @($script:Source | Where-Object { $null -eq $_.NuEnergy }).Count
            @($script:Back | Where-Object Interaction -EQ 'ES').Count | Should -Be @($script:Source | Where-Object Interaction -EQ 'ES').Count
            @($script:Back | Where-Object IsMarley).Count | Should -Be @($script:Source | Where-Object IsMarley).Count
            @($script:Back | Where-Object IsMainTrack).Count | Should -Be @($script:Source | Where-Object IsMainTrack).Count
        }

        It 'reads back as the seed layout with 128x16 images' {
            $script:Back | ForEach-Object Layout | Sort-Object -Unique | Should -Be 'Seed12'
            $script:Back | ForEach-Object { "$($_.ImageShape)" } | Sort-Object -Unique | Should -Be '128x16'
        }

        It 'gives the same statistics as the source' {
            $a = Get-ClusterStatistics -Path $script:Samples
            $b = Get-ClusterStatistics -Path $script:RoundTripOut
            foreach ($property in 'Clusters', 'PlaneU', 'PlaneV', 'PlaneX', 'ES', 'CC', 'Marley', 'MainTrack', 'NuEnergyUnknown',
                'ParticleEnergyMin', 'ParticleEnergyMax', 'NuEnergyMin', 'NuEnergyMax') {
                $b.$property | Should -Be $a.$property -Because $property
            }
        }
    }

    Context 'batch naming and splitting' {
        It 'splits -BatchSize 25 into clusters_plane{P}_batch0000..N per plane, each at most 25' {
            $out = Join-Path $TestDrive 'size25'
            Select-Cluster -Path $script:Samples | Export-ClusterBatch -Path $out -BatchSize 25

            $names = @(Get-ChildItem -LiteralPath $out -Filter *.npz | Sort-Object Name | ForEach-Object Name)
            $expectedNames = @(
                0..1 | ForEach-Object { 'clusters_planeU_batch{0:D4}.npz' -f $_ }
                0..2 | ForEach-Object { 'clusters_planeV_batch{0:D4}.npz' -f $_ }
                0..13 | ForEach-Object { 'clusters_planeX_batch{0:D4}.npz' -f $_ }
            )
            $names | Should -Be $expectedNames

            $written = Invoke-NumpyInspect $out
            $written.files | ForEach-Object { $_.count | Should -BeLessOrEqual 25 -Because $_.name }
            ($written.files | Where-Object name -Like '*planeU*' | Measure-Object count -Sum).Sum | Should -Be 40
            ($written.files | Where-Object name -Like '*planeV*' | Measure-Object count -Sum).Sum | Should -Be 60
            ($written.files | Where-Object name -Like '*planeX*' | Measure-Object count -Sum).Sum | Should -Be 350
            ($written.files | Where-Object name -EQ 'clusters_planeU_batch0001.npz').count | Should -Be 15
            ($written.files | Where-Object name -EQ 'clusters_planeV_batch0002.npz').count | Should -Be 10
            $written.images_sha256 | Should -Be (Invoke-NumpySelect -Files (Get-SampleFiles)).images_sha256
            Get-Leftovers $out | Should -BeNullOrEmpty
        }

        It 'puts 1000 clusters in a batch by default' {
            $out = Join-Path $TestDrive 'default-size'
            # Three passes over the samples: 1050 clusters of plane X.
            Select-Cluster -Path $script:Samples, $script:Samples, $script:Samples -Plane X | Export-ClusterBatch -Path $out

            $batches = @(Get-ClusterBatch -Path $out)
            $batches.Name | Should -Be @('clusters_planeX_batch0000.npz', 'clusters_planeX_batch0001.npz')
            ($batches | ForEach-Object Count) | Should -Be @(1000, 50)
        }

        It 'writes one series per plane, each file holding one plane, even from interleaved input' {
            $out = Join-Path $TestDrive 'interleaved'
            # Sorting by energy interleaves the planes on the pipeline.
            $clusters = @(Select-Cluster -Path $script:Samples | Sort-Object ParticleEnergy)
            ($clusters | Select-Object -First 20 | ForEach-Object Plane | Sort-Object -Unique).Count | Should -BeGreaterThan 1
            $clusters | Export-ClusterBatch -Path $out -BatchSize 25

            $written = Invoke-NumpyInspect $out
            foreach ($file in $written.files) {
                $plane = 'UVX'.IndexOf($file.name.Substring(14, 1))
                $file.planes | Should -Be @([double] $plane) -Because "$($file.name) is a plane-$($file.name.Substring(14, 1)) file"
            }
            @($written.files | Where-Object name -Like '*planeU*').Count | Should -Be 2
            @($written.files | Where-Object name -Like '*planeV*').Count | Should -Be 3
            @($written.files | Where-Object name -Like '*planeX*').Count | Should -Be 14

            # Within a plane the clusters keep their pipeline order.
            $back = @(Select-Cluster -Path $out)
            $expectedOrder = @('U', 'V', 'X' | ForEach-Object { $p = $_; $clusters | Where-Object Plane -EQ $p }) | Get-Fingerprint
            ($back | Get-Fingerprint) | Should -Be $expectedOrder
        }
    }

    Context '-Compress' {
        It 'writes deflate members with -Compress, and they still load to identical arrays' {
            $out = Join-Path $TestDrive 'compressed'
            Select-Cluster -Path $script:Samples -Plane X -Marley | Export-ClusterBatch -Path $out -Compress

            $written = Invoke-NumpyInspect $out
            $written.files.members | ForEach-Object { $_.compress_type | Should -Be 8 -Because "$($_.name) must be deflated" }
            $expected = Invoke-NumpySelect -Mask '(m[:, 10] == 2) & (m[:, 0] == 1)' -Files (Get-SampleFiles)
            $written.images_sha256 | Should -Be $expected.images_sha256
            $written.metadata_sha256 | Should -Be $expected.metadata_sha256
            (Get-ClusterBatch -Path $out).Compressed | Should -BeTrue
            (Get-Item (Join-Path $out 'clusters_planeX_batch0000.npz')).Length |
                Should -BeLessThan (57 * 128 * 16 * 4) -Because 'sparse images compress well'
            Get-Leftovers $out | Should -BeNullOrEmpty
        }

        It 'reads a compressed export back to identical clusters' {
            $out = Join-Path $TestDrive 'compressed-roundtrip'
            $source = @(Select-Cluster -Path $script:Samples -Plane U)
            $source | Export-ClusterBatch -Path $out -Compress -BatchSize 16
            @(Select-Cluster -Path $out | Get-Fingerprint) | Should -Be @($source | Get-Fingerprint)
        }

        It 'stores members uncompressed by default' {
            $out = Join-Path $TestDrive 'stored'
            Select-Cluster -Path $script:Samples -Plane V | Export-ClusterBatch -Path $out
            $written = Invoke-NumpyInspect $out
            $written.files.members | ForEach-Object { $_.compress_type | Should -Be 0 -Because "$($_.name) must be stored" }
            (Get-ClusterBatch -Path $out).Compressed | Should -BeFalse
        }
    }

    Context 'ShouldProcess and -PassThru' {
        It 'writes nothing and creates no folder with -WhatIf' {
            $out = Join-Path $TestDrive 'whatif'
            $result = Select-Cluster -Path $script:Samples | Export-ClusterBatch -Path $out -WhatIf -PassThru
            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'writes nothing into an existing folder with -WhatIf' {
            $out = Join-Path $TestDrive 'whatif-existing'
            $null = New-Item -ItemType Directory -Path $out
            Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path $out -WhatIf
            @(Get-ChildItem -LiteralPath $out -Force) | Should -BeNullOrEmpty
        }

        It 'writes without asking with -Confirm:$false' {
            $out = Join-Path $TestDrive 'confirm-false'
            Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path $out -Confirm:$false
            (Get-ClusterBatch -Path $out).Count | Should -Be 40
        }

        It 'emits a ClusterBatch for every written file with -PassThru' {
            $out = Join-Path $TestDrive 'passthru'
            $batches = @(Select-Cluster -Path $script:Samples | Export-ClusterBatch -Path $out -BatchSize 100 -PassThru)

            $files = @(Get-ChildItem -LiteralPath $out -Filter *.npz | Sort-Object Name)
            $batches.Count | Should -Be $files.Count
            $batches.Count | Should -Be 6   # U 40; V 60; X 100, 100, 100, 50
            $batches | ForEach-Object { $_ | Should -BeOfType ([type] 'ClusterPS.ClusterBatch') }
            ($batches | Sort-Object Path).Path | Should -Be $files.FullName
            ($batches | Sort-Object Path).Plane | Should -Be @('U', 'V', 'X', 'X', 'X', 'X')
            ($batches | Sort-Object Path | ForEach-Object Count) | Should -Be @(40, 60, 100, 100, 100, 50)
            ($batches | Sort-Object Path).BatchNumber | Should -Be @(0, 0, 0, 1, 2, 3)
            ($batches | Measure-Object Count -Sum).Sum | Should -Be 450
            $batches | ForEach-Object { $_.Layout | Should -Be 'Seed12' }
        }

        It 'emits the -PassThru batches on the pipeline so Get-ClusterStatistics can take them' {
            $out = Join-Path $TestDrive 'passthru-pipe'
            $stats = Select-Cluster -Path $script:Samples -Plane V | Export-ClusterBatch -Path $out -PassThru | Get-ClusterStatistics
            $stats.Clusters | Should -Be 60
        }

        It 'emits nothing without -PassThru' {
            $out = Join-Path $TestDrive 'no-passthru'
            $result = Select-Cluster -Path $script:Samples -Plane V | Export-ClusterBatch -Path $out
            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath (Join-Path $out 'clusters_planeV_batch0000.npz') | Should -BeTrue
        }
    }

    Context 'converting other layouts to the seed layout' {
        It 'writes Momentum15 clusters in the seed 12-column order' {
            $out = Join-Path $TestDrive 'from-momentum15'
            $sourceFile = Join-Path $script:Golden 'momentum15/clusters_planeU_batch0000.npz'
            $source = @(Select-Cluster -Path $sourceFile)
            $source | Export-ClusterBatch -Path $out

            # Momentum15: 0-7 as the seed, 8-10 momentum, 11 nu energy, 12 particle energy, 13 plane, 14 is_es.
            $expected = Invoke-NumpySelect -Files $sourceFile -Columns '0,1,2,3,4,5,6,7,11,12,13,14'
            $written = Invoke-NumpyInspect $out
            $written.files.name | Should -Be 'clusters_planeU_batch0000.npz'
            $written.files[0].metadata.shape | Should -Be @(4, 12)
            $written.metadata_sha256 | Should -Be $expected.metadata_sha256
            $written.images_sha256 | Should -Be $expected.images_sha256

            $back = @(Select-Cluster -Path $out)
            $back.Count | Should -Be $source.Count
            for ($i = 0; $i -lt $source.Count; $i++) {
                $back[$i].Metadata[8] | Should -Be $source[$i].Metadata[11]
                $back[$i].Metadata[9] | Should -Be $source[$i].Metadata[12]
                $back[$i].Metadata[10] | Should -Be $source[$i].Metadata[13]
                $back[$i].Metadata[11] | Should -Be $source[$i].Metadata[14]
                $back[$i].NuEnergy | Should -Be $source[$i].NuEnergy
                $back[$i].ParticleEnergy | Should -Be $source[$i].ParticleEnergy
                $back[$i].PlaneId | Should -Be $source[$i].PlaneId
                $back[$i].Interaction | Should -Be $source[$i].Interaction
                $back[$i].Direction | Should -Be $source[$i].Direction
                $back[$i].Charge | Should -Be $source[$i].Charge
            }
        }

        It 'refuses Legacy11 clusters without -UnknownInteraction: one error per cluster, nothing written' {
            $out = Join-Path $TestDrive 'legacy-refused'
            $legacy = @(Select-Cluster -Path (Join-Path $script:Golden 'legacy11'))
            $legacy.Count | Should -Be 4
            $legacy | Export-ClusterBatch -Path $out -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures.Count | Should -Be 4
            foreach ($failure in $failures) {
                $failure.FullyQualifiedErrorId | Should -BeLike 'ClusterNotExportable*'
                $failure.CategoryInfo.Category | Should -Be 'InvalidData'
                $failure.Exception.Message | Should -BeLike '*-UnknownInteraction*'
            }
            ($failures.TargetObject | ForEach-Object Index) | Should -Be @(0, 1, 2, 3)
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'writes the other clusters and refuses only the Legacy11 ones when they are mixed' {
            $out = Join-Path $TestDrive 'legacy-mixed'
            @(Select-Cluster -Path (Join-Path $script:Samples 'clusters_planeV_batch0000.npz')) +
            @(Select-Cluster -Path (Join-Path $script:Golden 'legacy11')) |
                Export-ClusterBatch -Path $out -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures.Count | Should -Be 4
            (Get-ClusterBatch -Path $out).Count | Should -Be 60
            $written = Invoke-NumpyInspect $out
            $written.metadata_sha256 | Should -Be (Invoke-NumpySelect -Files (Join-Path $script:Samples 'clusters_planeV_batch0000.npz')).metadata_sha256
        }

        It 'makes -ErrorAction Stop stop at the first refused cluster' {
            $out = Join-Path $TestDrive 'legacy-stop'
            { Select-Cluster -Path (Join-Path $script:Golden 'legacy11') | Export-ClusterBatch -Path $out -ErrorAction Stop } |
                Should -Throw -ErrorId 'ClusterNotExportable*'
            Get-Leftovers $out | Should -BeNullOrEmpty
        }

        It 'writes Legacy11 clusters with is_es = <Value> given -UnknownInteraction <Choice>' -ForEach @(
            @{ Choice = 'CC'; Value = 0; Interaction = 'CC' }
            @{ Choice = 'ES'; Value = 1; Interaction = 'ES' }
        ) {
            $out = Join-Path $TestDrive "legacy-$Choice"
            $sourceFile = Join-Path $script:Golden 'legacy11/clusters_planeV_batch0000.npz'
            Select-Cluster -Path $sourceFile | Export-ClusterBatch -Path $out -UnknownInteraction $Choice -ErrorVariable failures

            $failures.Count | Should -Be 0
            $written = Invoke-NumpyInspect $out
            $written.files.name | Should -Be 'clusters_planeV_batch0000.npz'
            $written.files[0].is_es | Should -Be @([double] $Value)
            $expected = Invoke-NumpySelect -Files $sourceFile -Append $Value
            $written.metadata_sha256 | Should -Be $expected.metadata_sha256
            $written.images_sha256 | Should -Be $expected.images_sha256
            (Select-Cluster -Path $out).Interaction | Sort-Object -Unique | Should -Be $Interaction
        }
    }

    Context 'clusters that need separate files or cannot be written' {
        It 'writes 128x32 and 128x16 clusters of one plane to separate files' {
            $out = Join-Path $TestDrive 'mixed-shapes'
            $narrow = Join-Path $script:Golden 'clusters_planeX_batch0007.npz'   # 4 clusters, 128x16
            $wide = Join-Path $script:Golden 'images_128x32.npz'                  # 3 clusters, 128x32, plane X
            $clusters = @(Select-Cluster -LiteralPath $narrow) + @(Select-Cluster -LiteralPath $wide) +
                @(Select-Cluster -LiteralPath (Join-Path $script:Samples 'clusters_planeX_batch0000.npz') | Select-Object -First 5)
            $clusters | Export-ClusterBatch -Path $out

            $written = Invoke-NumpyInspect $out
            $written.count | Should -Be 12
            foreach ($file in $written.files) {
                $file.images.shape[0] | Should -Be $file.count
                $file.images.shape[1] | Should -Be 128
            }
            # Each file holds one image shape; the 128x32 clusters are alone in theirs.
            $shapes = @($written.files | ForEach-Object { "$($_.images.shape[1])x$($_.images.shape[2]):$($_.count)" })
            $shapes | Should -Contain '128x32:3'
            ($written.files | Where-Object { $_.images.shape[2] -eq 16 } | Measure-Object count -Sum).Sum | Should -Be 9
            $written.files.name | ForEach-Object { $_ | Should -BeLike 'clusters_planeX_batch*.npz' }

            # Read back, every cluster is the same as the one that went in (in pipeline order by file).
            $back = @(Select-Cluster -Path $out)
            @($back | Get-Fingerprint | Sort-Object) | Should -Be @($clusters | Get-Fingerprint | Sort-Object)
            Get-Leftovers $out | Should -BeNullOrEmpty
        }

        It 'refuses a cluster from a metadata-only file with ClusterNotExportable' {
            $out = Join-Path $TestDrive 'metadata-only'
            $clusters = @(Select-Cluster -Path (Join-Path $script:Golden 'metadata_only.npz'))
            $clusters.Count | Should -Be 5
            $clusters | Export-ClusterBatch -Path $out -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures.Count | Should -Be 5
            $failures | ForEach-Object {
                $_.FullyQualifiedErrorId | Should -BeLike 'ClusterNotExportable*'
                $_.CategoryInfo.Category | Should -Be 'InvalidData'
                $_.Exception.Message | Should -BeLike '*metadata_only.npz*'
            }
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'writes an empty pipeline as nothing at all' {
            $out = Join-Path $TestDrive 'empty'
            $result = @() | Export-ClusterBatch -Path $out -PassThru
            $result | Should -BeNullOrEmpty
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'refuses a -Path that is a file, leaving it untouched' {
            $file = Join-Path $TestDrive 'a-file.txt'
            Set-Content -LiteralPath $file -Value 'keep me'
            { Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path $file } | Should -Throw -ErrorId 'PathIsFile*'
            Get-Content -LiteralPath $file | Should -Be 'keep me'
        }
    }
    Context 'exporting into a folder that already holds batches' {
        It 'refuses the whole series of a plane that exists, not only the clashing names, and writes the other planes' {
            $out = Join-Path $TestDrive 'rerun'
            Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path $out -BatchSize 25
            $before = @(Get-ChildItem -LiteralPath $out -Filter 'clusters_planeU_*.npz').Name
            $before | Should -Be @('clusters_planeU_batch0000.npz', 'clusters_planeU_batch0001.npz')

            Select-Cluster -Path $script:Samples -Plane U, V | Export-ClusterBatch -Path $out -BatchSize 10 -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures.Count | Should -Be 4 -Because 'each of the four U batches of the second run is refused'
            $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'BatchFileExists*' }
            $failures[0].Exception.Message | Should -BeLike '*plane U*-Force*'
            @(Get-ChildItem -LiteralPath $out -Filter 'clusters_planeU_*.npz').Name | Should -Be $before
            @(Get-ChildItem -LiteralPath $out -Filter 'clusters_planeV_*.npz').Count | Should -Be 6
        }

        It 'warns under -Force when older batches beyond the new series remain' {
            $out = Join-Path $TestDrive 'shorter'
            Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path $out -BatchSize 10
            Select-Cluster -Path $script:Samples -Plane U | Export-ClusterBatch -Path $out -BatchSize 25 -Force -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*2 older batch file(s) of plane U*clusters_planeU_batch0002.npz*'
            (Get-ClusterBatch (Join-Path $out 'clusters_planeU_batch0000.npz')).Count | Should -Be 25
        }

        It 'grows a batch as clusters arrive, so a huge -BatchSize costs nothing up front' {
            $out = Join-Path $TestDrive 'huge-batch'
            Select-Cluster -Path $script:Samples -Plane V | Export-ClusterBatch -Path $out -BatchSize 1000000
            (Get-ClusterBatch $out).Count | Should -Be 60
        }
    }
}
