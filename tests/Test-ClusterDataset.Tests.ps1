# Test-ClusterDataset: the audit. The samples are clean; small broken datasets, built in
# TestDrive with NumPy from the sample files (and copies of tests/data/broken, golden and
# pester files), trigger each rule once, so each finding can be checked exactly: severity,
# rule, file, first cluster, count and a message naming the file. Then -Quiet/-Strict for
# scripts and CI, one finding per rule per file, good files next to broken ones, and the
# findings in the usual PowerShell pipeline (Group-Object, Where-Object, Export-Csv).

BeforeDiscovery {
    # Every file of tests/data/broken with the audit rule its reader error code maps to.
    $cases = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/broken/cases.json') | ConvertFrom-Json
    $ruleOf = @{
        ChecksumMismatch = 'CrcMismatch'
        RowCountMismatch = 'RowCountMismatch'
        InvalidShape     = 'ShapeMismatch'
        SizeMismatch     = 'ShapeMismatch'
    }
    $brokenCases = @($cases | ForEach-Object {
            $rules = @(@($_.code) + @($_.alt_codes | Where-Object { $_ }) | ForEach-Object {
                    if ($ruleOf.ContainsKey($_)) { $ruleOf[$_] } else { 'UnreadableFile' }
                } | Sort-Object -Unique)
            @{ File = $_.file; Rules = $rules; What = $_.what }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $script:Samples = Get-SamplesPath
    $script:Cases = Join-Path $TestDrive 'cases'
    $script:U0 = 'clusters_planeU_batch0000.npz'

    # Builds one folder per case under $TestDrive/cases. Each folder holds the smallest dataset
    # that shows its problem once; everything else in it is as clean as the samples.
    $builder = Join-Path $TestDrive 'make_audit_cases.py'
    Set-Content -LiteralPath $builder -Encoding utf8NoBOM -Value @'
import os, shutil, struct, sys, zipfile
import numpy as np

samples, broken, golden, pester, root = sys.argv[1:6]

def load(name):
    with np.load(os.path.join(samples, name), allow_pickle=False) as z:
        return z['images'].copy(), z['metadata'].copy()

def case(name):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    return d

def save(d, name, images, meta):
    np.savez(os.path.join(d, name), images=images, metadata=meta)

def member_data_offset(path, member):
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    with open(path, 'rb') as f:
        f.seek(info.header_offset + 26)
        n, e = struct.unpack('<HH', f.read(4))
    return info.header_offset + 30 + n + e, info

U0 = 'clusters_planeU_batch0000.npz'
img, meta = load(U0)                                   # 40 clusters, plane U
vimg, vmeta = load('clusters_planeV_batch0000.npz')    # 60 clusters, plane V
ximg, xmeta = load('clusters_planeX_batch0000.npz')    # 200 clusters, plane X
x1img, x1meta = load('clusters_planeX_batch0001.npz')  # 150 clusters, plane X
assert (meta[:, 8] == -1).sum() > 0                    # the samples do use the -1 sentinel

# Files no reader accepts.
shutil.copy(os.path.join(broken, 'not_a_zip.npz'), os.path.join(case('UnreadableFile'), U0))
shutil.copy(os.path.join(broken, 'bad_crc.npz'), os.path.join(case('CrcMismatch'), 'bad_crc.npz'))
save(case('RowCountMismatch'), U0, img, meta[:39])
save(case('ShapeMismatch'), U0, img.reshape(40, 128 * 16), meta)

# CRC-32 of the metadata member: one bit of a metadata float flipped in a stored file.
p = os.path.join(case('CrcMismatchMetadata'), U0)
save(os.path.dirname(p), U0, img, meta)
start, _ = member_data_offset(p, 'metadata.npy')
data = bytearray(open(p, 'rb').read())
data[start + 128 + 4 * 13] ^= 0x01
open(p, 'wb').write(bytes(data))

# CRC-32 of a deflated member: data intact, the recorded CRC wrong in both headers.
p = os.path.join(case('CrcMismatchDeflate'), U0)
np.savez_compressed(p, images=img, metadata=meta)
_, info = member_data_offset(p, 'images.npy')
data = bytearray(open(p, 'rb').read())
data[info.header_offset + 14] ^= 0xFF
i = 0
while True:
    i = data.find(b'PK\x01\x02', i)
    if i < 0:
        break
    name_len = struct.unpack('<H', data[i + 28:i + 30])[0]
    if bytes(data[i + 46:i + 46 + name_len]) == b'images.npy':
        data[i + 16] ^= 0xFF
    i += 4
open(p, 'wb').write(bytes(data))

# Metadata rules, each in one or two clusters of an otherwise clean plane-U file.
m = meta.copy(); m[[5, 9], 10] = 2
save(case('PlaneMismatch'), U0, img, m)
m = meta.copy(); m[:, 10] = 2
save(case('PlaneMismatchAll'), U0, img, m)
m = meta.copy(); m[7, 10] = 3
save(case('InvalidPlaneId'), U0, img, m)
m = meta.copy(); m[7, 10] = 2.5
save(case('InvalidPlaneIdHalf'), U0, img, m)
m = meta.copy(); m[4, 0] = 0.5
save(case('FlagNotBinary'), U0, img, m)
m = meta.copy(); m[6, 3] = np.inf
save(case('NonFiniteMetadata'), U0, img, m)
m = meta.copy(); m[2, 5] = np.nan
save(case('NonFiniteDirection'), U0, img, m)
m = meta.copy(); m[10, 5:8] = [2, 0, 0]; m[11, 5:8] = 0    # length 2; and a zero vector
save(case('DirectionNotUnit'), U0, img, m)
m = meta.copy(); m[12, 8] = -5
save(case('InvalidEnergySentinel'), U0, img, m)

# Image rules.
i2 = img.copy(); i2[8, 50, 3] = np.nan
save(case('NonFiniteImage'), U0, i2, meta)
i2 = img.copy(); i2[3, 0, 15] = -np.inf
save(case('NonFiniteImageInf'), U0, i2, meta)

# Two rules in one file, several clusters each.
m = meta.copy(); m[[2, 3], 1] = 7
i2 = img.copy(); i2[[20, 25, 30], 0, 0] = np.nan
save(case('SeveralRules'), U0, i2, m)

# Cluster 2 of batch0001 is cluster 13 of batch0000.
d = case('DuplicateCluster')
save(d, U0, img[:20], meta[:20])
i2, m2 = img[20:].copy(), meta[20:].copy()
i2[2], m2[2] = img[13], meta[13]
save(d, 'clusters_planeU_batch0001.npz', i2, m2)

# Cluster 30 repeats cluster 4 of the same file.
i2, m2 = img.copy(), meta.copy(); i2[30], m2[30] = img[4], meta[4]
save(case('DuplicateInFile'), U0, i2, m2)

# A 128 x 32 file among 128 x 16 ones.
d = case('MixedImageShapes')
save(d, 'clusters_planeX_batch0000.npz', ximg[:100], xmeta[:100])
wide = np.zeros((100, 128, 32), np.float32); wide[:, :, :16] = ximg[100:]
save(d, 'clusters_planeX_batch0001.npz', wide, xmeta[100:])

# batch0000 and batch0002 of plane X: 0001 is missing.
d = case('BatchNumberGap')
save(d, 'clusters_planeX_batch0000.npz', ximg[:100], xmeta[:100])
save(d, 'clusters_planeX_batch0002.npz', ximg[100:], xmeta[100:])

# batch0000 exists but cannot be read; batch0001 is fine: no batch is missing.
d = case('GapUnreadable')
shutil.copy(os.path.join(broken, 'not_a_zip.npz'), os.path.join(d, U0))
save(d, 'clusters_planeU_batch0001.npz', img, meta)

# 1001 and exactly 1000 clusters, all distinct (position x = row number).
for n, name in ((1001, 'OversizedBatch'), (1000, 'FullBatch')):
    idx = np.arange(n) % 200
    m = xmeta[idx].copy(); m[:, 2] = np.arange(n, dtype=np.float32)
    save(case(name), 'clusters_planeX_batch0000.npz', ximg[idx], m)

shutil.copy(os.path.join(pester, 'columns13_planeX.npz'), os.path.join(case('UnknownLayout'), 'columns13_planeX.npz'))
shutil.copy(os.path.join(golden, 'float64.npz'), os.path.join(case('NotFloat32'), 'float64.npz'))

# A good plane-V file among broken ones, and a problem after them that proves they were passed.
d = case('GoodAmongBroken')
shutil.copy(os.path.join(broken, 'not_a_zip.npz'), os.path.join(d, U0))
shutil.copy(os.path.join(broken, 'row_mismatch.npz'), os.path.join(d, 'clusters_planeU_batch0001.npz'))
save(d, 'clusters_planeV_batch0000.npz', vimg, vmeta)
shutil.copy(os.path.join(broken, 'corrupt_deflate.npz'), os.path.join(d, 'clusters_planeX_batch0000.npz'))
i2 = x1img.copy(); i2[3, 100, 7] = np.nan
save(d, 'clusters_planeX_batch0001.npz', i2, x1meta)

# Errors, warnings and information from distinct data, for the pipeline tests.
d = case('Combined')
m = meta.copy(); m[[1, 2], 0] = 2
save(d, U0, img, m)
m = vmeta.copy(); m[3, 5:8] = [0, 0, 3]; m[4, 8] = -2
save(d, 'clusters_planeV_batch0000.npz', vimg, m)
i2 = ximg.copy(); i2[5, 10, 10] = np.inf
save(d, 'clusters_planeX_batch0000.npz', i2, xmeta)
shutil.copy(os.path.join(golden, 'float64.npz'), os.path.join(d, 'float64.npz'))
print('ok')
'@
    $made = & /usr/bin/python3 $builder $script:Samples (Get-TestDataPath 'broken') (Get-TestDataPath 'golden') (Get-TestDataPath 'pester') $script:Cases 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Could not build the audit cases with NumPy: $($made -join "`n")" }

    function Get-CasePath {
        param([string] $Case, [string] $File)
        $path = Join-Path $script:Cases $Case
        if ($File) { $path = Join-Path $path $File }
        $path
    }

    # A column map for the 13-column file: the seed's twelve columns and one extra.
    $script:Map13 = @{
        IsMarley = 0; IsMainTrack = 1; PositionX = 2; PositionY = 3; PositionZ = 4
        DirectionX = 5; DirectionY = 6; DirectionZ = 7; NuEnergy = 8; ParticleEnergy = 9
        PlaneId = 10; IsES = 11; ColumnCount = 13
    }
}

Describe 'Test-ClusterDataset' {
    Context 'a clean dataset' {
        It 'finds no Error or Warning in the samples' {
            $findings = @(Test-ClusterDataset -Path $script:Samples -ErrorVariable failures)
            $failures.Count | Should -Be 0
            @($findings | Where-Object Severity -In 'Error', 'Warning' | ForEach-Object { "$_" }) | Should -BeNullOrEmpty
        }

        It 'returns exactly one $true with -Quiet' {
            $result = @(Test-ClusterDataset -Path $script:Samples -Quiet)
            $result.Count | Should -Be 1
            $result[0] | Should -BeOfType ([bool])
            $result[0] | Should -BeTrue
        }

        It 'returns $true with -Quiet -Strict, and one boolean for several inputs on the pipeline' {
            $files = (Join-Path $script:Samples $script:U0), (Join-Path $script:Samples 'clusters_planeV_batch0000.npz')
            $result = @($files | Test-ClusterDataset -Quiet -Strict)
            $result.Count | Should -Be 1
            $result[0] | Should -BeTrue
        }

        It 'audits files from Get-ChildItem on the pipeline' {
            $findings = @(Get-ChildItem -LiteralPath (Get-CasePath 'FlagNotBinary') -Filter *.npz | Test-ClusterDataset)
            $findings.Rule | Should -Be 'FlagNotBinary'
        }
    }

    Context 'each rule' {
        It 'reports <Rule> (<Severity>) for <Case>: file <File>, cluster <Index>' -ForEach @(
            @{ Case = 'UnreadableFile'; Severity = 'Error'; Rule = 'UnreadableFile'; File = 'clusters_planeU_batch0000.npz'; Index = $null; Count = 1; Like = '*not a zip*' }
            @{ Case = 'CrcMismatch'; Severity = 'Error'; Rule = 'CrcMismatch'; File = 'bad_crc.npz'; Index = $null; Count = 1; Like = '*images.npy*CRC*' }
            @{ Case = 'CrcMismatchMetadata'; Severity = 'Error'; Rule = 'CrcMismatch'; File = 'clusters_planeU_batch0000.npz'; Index = $null; Count = 1; Like = '*metadata.npy*CRC*' }
            @{ Case = 'CrcMismatchDeflate'; Severity = 'Error'; Rule = 'CrcMismatch'; File = 'clusters_planeU_batch0000.npz'; Index = $null; Count = 1; Like = '*images.npy*CRC*' }
            @{ Case = 'RowCountMismatch'; Severity = 'Error'; Rule = 'RowCountMismatch'; File = 'clusters_planeU_batch0000.npz'; Index = $null; Count = 1; Like = '*40*39*' }
            @{ Case = 'ShapeMismatch'; Severity = 'Error'; Rule = 'ShapeMismatch'; File = 'clusters_planeU_batch0000.npz'; Index = $null; Count = 1; Like = '*(40, 2048)*' }
            @{ Case = 'PlaneMismatch'; Severity = 'Error'; Rule = 'PlaneMismatch'; File = 'clusters_planeU_batch0000.npz'; Index = 5; Count = 2; Like = '*cluster 5*X*U*' }
            @{ Case = 'InvalidPlaneId'; Severity = 'Error'; Rule = 'InvalidPlaneId'; File = 'clusters_planeU_batch0000.npz'; Index = 7; Count = 1; Like = '*cluster 7*3*' }
            @{ Case = 'InvalidPlaneIdHalf'; Severity = 'Error'; Rule = 'InvalidPlaneId'; File = 'clusters_planeU_batch0000.npz'; Index = 7; Count = 1; Like = '*cluster 7*plane id 2.5*' }
            @{ Case = 'FlagNotBinary'; Severity = 'Error'; Rule = 'FlagNotBinary'; File = 'clusters_planeU_batch0000.npz'; Index = 4; Count = 1; Like = '*cluster 4*0.5*' }
            @{ Case = 'NonFiniteMetadata'; Severity = 'Error'; Rule = 'NonFiniteMetadata'; File = 'clusters_planeU_batch0000.npz'; Index = 6; Count = 1; Like = '*cluster 6*Inf*column 3*' }
            @{ Case = 'NonFiniteDirection'; Severity = 'Error'; Rule = 'NonFiniteMetadata'; File = 'clusters_planeU_batch0000.npz'; Index = 2; Count = 1; Like = '*cluster 2*NaN*column 5*' }
            @{ Case = 'NonFiniteImage'; Severity = 'Error'; Rule = 'NonFiniteImage'; File = 'clusters_planeU_batch0000.npz'; Index = 8; Count = 1; Like = '*cluster 8*NaN*tick 50*channel 3*' }
            @{ Case = 'NonFiniteImageInf'; Severity = 'Error'; Rule = 'NonFiniteImage'; File = 'clusters_planeU_batch0000.npz'; Index = 3; Count = 1; Like = '*cluster 3*Inf*tick 0*channel 15*' }
            @{ Case = 'DirectionNotUnit'; Severity = 'Warning'; Rule = 'DirectionNotUnit'; File = 'clusters_planeU_batch0000.npz'; Index = 10; Count = 1; Like = '*cluster 10*length 2*' }
            @{ Case = 'InvalidEnergySentinel'; Severity = 'Warning'; Rule = 'InvalidEnergySentinel'; File = 'clusters_planeU_batch0000.npz'; Index = 12; Count = 1; Like = '*cluster 12*-5*' }
            @{ Case = 'DuplicateCluster'; Severity = 'Warning'; Rule = 'DuplicateCluster'; File = 'clusters_planeU_batch0001.npz'; Index = 2; Count = 1; Like = '*cluster 2*clusters_planeU_batch0000.npz*cluster 13*' }
            @{ Case = 'DuplicateInFile'; Severity = 'Warning'; Rule = 'DuplicateCluster'; File = 'clusters_planeU_batch0000.npz'; Index = 30; Count = 1; Like = '*cluster 30*cluster 4*' }
            @{ Case = 'OversizedBatch'; Severity = 'Warning'; Rule = 'OversizedBatch'; File = 'clusters_planeX_batch0000.npz'; Index = $null; Count = 1; Like = '*1?001*1?000*' }
            @{ Case = 'UnknownLayout'; Severity = 'Error'; Rule = 'UnknownLayout'; File = 'columns13_planeX.npz'; Index = $null; Count = 1; Like = '*13 columns*-Layout*' }
            @{ Case = 'NotFloat32'; Severity = 'Info'; Rule = 'NotFloat32'; File = 'float64.npz'; Index = $null; Count = 1; Like = "*'<f8'*" }
        ) {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath $Case) -ErrorVariable failures)
            $failures.Count | Should -Be 0
            $findings.Count | Should -Be 1 -Because "the dataset has one problem, but the audit found: $($findings -join '; ')"
            $finding = $findings[0]
            $finding | Should -BeOfType ([type] 'ClusterPS.AuditFinding')
            $finding.Severity | Should -Be $Severity
            $finding.Rule | Should -Be $Rule
            $finding.Path | Should -Be (Get-CasePath $Case $File)
            $finding.Index | Should -Be $Index
            $finding.Count | Should -Be $Count
            $finding.Message | Should -BeLike "*$File*"
            $finding.Message | Should -BeLike $Like
        }

        It 'refuses plane id 2.5 in the commands that read with the layout checks, naming the value' {
            $path = Get-CasePath 'InvalidPlaneIdHalf' 'clusters_planeU_batch0000.npz'
            $clusters = @(Select-Cluster -LiteralPath $path -Plane X -ErrorVariable selectErrors -ErrorAction SilentlyContinue)
            $clusters.Count | Should -Be 0
            $selectErrors.Count | Should -Be 1
            $selectErrors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.LayoutMismatch,*'
            $selectErrors[0].Exception.Message | Should -BeLike '*2.5*cluster 7*'
            $null = Get-ClusterStatistics -LiteralPath $path -ErrorVariable statisticsErrors -ErrorAction SilentlyContinue
            $statisticsErrors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterPS.LayoutMismatch,*'
        }

        It 'reports a direction of length 2 but not a zero direction' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'DirectionNotUnit'))
            @($findings | Where-Object Rule -EQ 'DirectionNotUnit').Index | Should -Be @(10)
        }

        It 'reports a neutrino energy of -5 but not the -1 sentinel' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'InvalidEnergySentinel'))
            @($findings | Where-Object Rule -EQ 'InvalidEnergySentinel').Index | Should -Be @(12)
        }

        It 'does not warn about a batch of exactly 1000 clusters' {
            @(Test-ClusterDataset -LiteralPath (Get-CasePath 'FullBatch')) | Should -BeNullOrEmpty
        }

        It 'reports mixed image shapes once, for the odd file, naming both shapes' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'MixedImageShapes'))
            $findings.Count | Should -Be 1 -Because "found: $($findings -join '; ')"
            $findings[0].Severity | Should -Be 'Warning'
            $findings[0].Rule | Should -Be 'MixedImageShapes'
            $findings[0].Index | Should -BeNullOrEmpty
            $findings[0].Message | Should -BeLike '*128x32*128x16*'
        }

        It 'says which file has the odd image shape in the MixedImageShapes finding' {
            # Path or message must lead the user to the 128x32 file among the 128x16 ones.
            $finding = Test-ClusterDataset -LiteralPath (Get-CasePath 'MixedImageShapes') | Where-Object Rule -EQ 'MixedImageShapes'
            "$($finding.Path) $($finding.Message)" | Should -BeLike '*clusters_planeX_batch0001.npz*'
        }

        It 'reports a batch-number gap once, naming the plane and the missing batch' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'BatchNumberGap'))
            $findings.Count | Should -Be 1 -Because "found: $($findings -join '; ')"
            $findings[0].Severity | Should -Be 'Warning'
            $findings[0].Rule | Should -Be 'BatchNumberGap'
            $findings[0].Count | Should -Be 1
            $findings[0].Message | Should -BeLike '*plane X*0001*'
            $findings[0].Message | Should -Not -BeLike '*0000*0001*'
        }

        It 'does not report a gap for a batch file that exists but is unreadable' {
            # clusters_planeU_batch0000.npz is there (and reported as unreadable); batch0001 is fine.
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'GapUnreadable'))
            $findings.Rule | Should -Contain 'UnreadableFile'
            @($findings | Where-Object Rule -EQ 'BatchNumberGap' | ForEach-Object Message) | Should -BeNullOrEmpty
        }

        It 'does not report the 13-column file given -Layout as a proper column map' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'UnknownLayout') -Layout $script:Map13 -ErrorVariable failures)
            $failures.Count | Should -Be 0
            $findings | Should -BeNullOrEmpty
        }

        It 'reports the 13-column file audited with -Layout Seed12 as a LayoutMismatch naming that layout' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'UnknownLayout') -Layout Seed12)
            $findings.Rule | Should -Not -Contain 'UnknownLayout'
            $finding = $findings | Where-Object Rule -EQ 'LayoutMismatch'
            $finding.Severity | Should -Be 'Error'
            $finding.Message | Should -BeLike '*13 columns*layout Seed12 expects 12*'
            # -Layout was given: the message must not claim no layout matched and ask for -Layout.
            $finding.Message | Should -Not -BeLike '*matches no built-in layout*'
        }

        It 'reads a Legacy11 and a Momentum15 file without findings' {
            @(Test-ClusterDataset -LiteralPath (Get-TestDataPath 'golden/legacy11')) | Should -BeNullOrEmpty
            @(Test-ClusterDataset -LiteralPath (Get-TestDataPath 'golden/momentum15')) | Should -BeNullOrEmpty
        }

        It 'reports broken/<File> as <Rules>, an Error naming the file' -ForEach $brokenCases {
            $path = Get-TestDataPath "broken/$File"
            $findings = @(Test-ClusterDataset -LiteralPath $path -ErrorVariable failures)
            $failures.Count | Should -Be 0
            $findings.Count | Should -Be 1 -Because "found: $($findings -join '; ')"
            $findings[0].Severity | Should -Be 'Error'
            $Rules | Should -Contain $findings[0].Rule
            $findings[0].Path | Should -Be $path
            $findings[0].Message | Should -BeLike "*$File*"
        }
    }

    Context 'one finding per rule per file' {
        It 'gives one PlaneMismatch with Count 40 and Index 0 when all 40 clusters have a bad plane' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'PlaneMismatchAll'))
            $findings.Count | Should -Be 1
            $findings[0].Rule | Should -Be 'PlaneMismatch'
            $findings[0].Severity | Should -Be 'Error'
            $findings[0].Count | Should -Be 40
            $findings[0].Index | Should -Be 0
            $findings[0].Path | Should -Be (Get-CasePath 'PlaneMismatchAll' $script:U0)
            $findings[0].Message | Should -BeLike "$($script:U0)*39 more*"
        }

        It 'gives one finding for each rule a file breaks, with the first cluster and the count' {
            $findings = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'SeveralRules'))
            ($findings.Rule | Sort-Object) | Should -Be @('FlagNotBinary', 'NonFiniteImage')
            $flag = $findings | Where-Object Rule -EQ 'FlagNotBinary'
            $flag.Index | Should -Be 2
            $flag.Count | Should -Be 2
            $image = $findings | Where-Object Rule -EQ 'NonFiniteImage'
            $image.Index | Should -Be 20
            $image.Count | Should -Be 3
        }

        It 'does not report the clusters of a file given twice as duplicates of themselves' {
            $file = Join-Path $script:Samples $script:U0
            $findings = @(Test-ClusterDataset -LiteralPath $file, $file)
            $self = @($findings | Where-Object { $_.Message -match 'cluster (\d+) is identical .* to cluster \1 of this file' })
            $self | ForEach-Object Message | Should -BeNullOrEmpty
        }
    }

    Context '-Quiet and -Strict' {
        It 'returns $false with -Quiet when there is an Error finding' {
            $result = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'FlagNotBinary') -Quiet)
            $result.Count | Should -Be 1
            $result[0] | Should -BeOfType ([bool])
            $result[0] | Should -BeFalse
        }

        It 'returns $false with -Quiet for an unreadable file next to good ones' {
            Test-ClusterDataset -LiteralPath $script:Samples, (Get-CasePath 'UnreadableFile') -Quiet | Should -BeFalse
        }

        It 'returns $true with -Quiet but $false with -Quiet -Strict when there are only Warnings (<Case>)' -ForEach @(
            @{ Case = 'DirectionNotUnit' }
            @{ Case = 'InvalidEnergySentinel' }
            @{ Case = 'DuplicateCluster' }
            @{ Case = 'OversizedBatch' }
            @{ Case = 'MixedImageShapes' }
            @{ Case = 'BatchNumberGap' }
        ) {
            $path = Get-CasePath $Case
            @(Test-ClusterDataset -LiteralPath $path).Severity | Sort-Object -Unique | Should -Be 'Warning'
            @(Test-ClusterDataset -LiteralPath $path -Quiet) | Should -Be @($true)
            @(Test-ClusterDataset -LiteralPath $path -Quiet -Strict) | Should -Be @($false)
        }

        It 'returns $true with -Quiet -Strict when there is only Info' {
            @(Test-ClusterDataset -LiteralPath (Get-CasePath 'NotFloat32')).Severity | Should -Be 'Info'
            @(Test-ClusterDataset -LiteralPath (Get-CasePath 'NotFloat32') -Quiet -Strict) | Should -Be @($true)
        }

        It 'returns $false with -Quiet and writes a PathNotFound error for a missing path' {
            $missing = Join-Path $TestDrive 'no-such-folder'
            $result = @(Test-ClusterDataset -Path $missing -Quiet -ErrorVariable failures -ErrorAction SilentlyContinue)
            $result | Should -Be @($false)
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'returns $false with -Quiet when one of several paths is missing, and audits the others' {
            $missing = Join-Path $TestDrive 'no-such-file.npz'
            $result = @(Test-ClusterDataset -LiteralPath $script:Samples, $missing -Quiet -ErrorVariable failures -ErrorAction SilentlyContinue)
            $result | Should -Be @($false)
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
            # Without -Quiet the other input is still audited.
            @(Test-ClusterDataset -LiteralPath (Get-CasePath 'FlagNotBinary'), $missing -ErrorAction SilentlyContinue).Rule | Should -Be 'FlagNotBinary'
        }
    }

    Context 'good files next to broken ones' {
        BeforeAll {
            $script:Mixed = Get-CasePath 'GoodAmongBroken'
        }

        It 'never throws, even with -ErrorAction Stop, and writes no error records' {
            { $script:MixedFindings = @(Test-ClusterDataset -LiteralPath $script:Mixed -ErrorAction Stop -ErrorVariable failures) } | Should -Not -Throw
            $failures.Count | Should -Be 0
            { $null = Test-ClusterDataset -LiteralPath (Get-TestDataPath 'broken') -ErrorAction Stop } | Should -Not -Throw
        }

        It 'reports each broken file and the problem in the file after them' {
            $findings = @(Test-ClusterDataset -LiteralPath $script:Mixed)
            $byFile = @($findings | Where-Object Path | ForEach-Object { "$(Split-Path -Leaf $_.Path) $($_.Rule)" } | Sort-Object)
            $byFile | Should -Be @(
                'clusters_planeU_batch0000.npz UnreadableFile'
                'clusters_planeU_batch0001.npz RowCountMismatch'
                'clusters_planeX_batch0000.npz UnreadableFile'
                'clusters_planeX_batch0001.npz NonFiniteImage'
            )
            ($findings | Where-Object Rule -EQ 'NonFiniteImage').Index | Should -Be 3
            ($findings | Where-Object Rule -EQ 'NonFiniteImage').Message | Should -BeLike '*tick 100*channel 7*'
        }

        It 'has no finding for the good file among them' {
            $good = Join-Path $script:Mixed 'clusters_planeV_batch0000.npz'
            @(Test-ClusterDataset -LiteralPath $script:Mixed | Where-Object Path -EQ $good | ForEach-Object { "$_" }) | Should -BeNullOrEmpty
            # Audited on its own, the same file is clean too.
            @(Test-ClusterDataset -LiteralPath $good) | Should -BeNullOrEmpty
        }

        It 'releases every file it audited' {
            $null = Test-ClusterDataset -LiteralPath $script:Mixed
            foreach ($file in Get-ChildItem -LiteralPath $script:Mixed -Filter *.npz) {
                { [IO.File]::Open($file.FullName, 'Open', 'ReadWrite', 'None').Dispose() } | Should -Not -Throw
            }
        }
    }

    Context 'findings in the PowerShell pipeline' {
        BeforeAll {
            $script:Combined = @(Test-ClusterDataset -LiteralPath (Get-CasePath 'Combined'))
        }

        It 'finds the expected problems of the combined dataset' {
            $summary = @($script:Combined | ForEach-Object { "$($_.Severity) $($_.Rule) $(if ($_.Path) { Split-Path -Leaf $_.Path }) $($_.Index)".Trim() } | Sort-Object)
            $summary | Should -Be @(
                'Error FlagNotBinary clusters_planeU_batch0000.npz 1'
                'Error NonFiniteImage clusters_planeX_batch0000.npz 5'
                'Info NotFloat32 float64.npz'
                'Warning DirectionNotUnit clusters_planeV_batch0000.npz 3'
                'Warning InvalidEnergySentinel clusters_planeV_batch0000.npz 4'
                'Warning MixedDTypes float64.npz'
            )
        }

        It 'groups by rule with Group-Object' {
            $groups = $script:Combined | Group-Object Rule
            ($groups.Name | Sort-Object) | Should -Be @('DirectionNotUnit', 'FlagNotBinary', 'InvalidEnergySentinel', 'MixedDTypes', 'NonFiniteImage', 'NotFloat32')
            ($groups | Where-Object Name -EQ 'FlagNotBinary').Group[0].Count | Should -Be 2
            $bySeverity = $script:Combined | Group-Object Severity -AsHashTable -AsString
            $bySeverity['Error'].Count | Should -Be 2
            $bySeverity['Warning'].Count | Should -Be 3
            $bySeverity['Info'].Count | Should -Be 1
        }

        It 'filters errors with Where-Object Severity -eq Error' {
            $errors = @($script:Combined | Where-Object Severity -EQ 'Error')
            ($errors.Rule | Sort-Object) | Should -Be @('FlagNotBinary', 'NonFiniteImage')
        }

        It 'exports to CSV and back with every column' {
            $csv = Join-Path $TestDrive 'findings.csv'
            $script:Combined | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = @(Import-Csv -LiteralPath $csv)
            $rows.Count | Should -Be $script:Combined.Count
            $rows[0].PSObject.Properties.Name | Should -Be @('Severity', 'Rule', 'Path', 'Index', 'Count', 'Message')
            for ($i = 0; $i -lt $rows.Count; $i++) {
                $rows[$i].Severity | Should -Be $script:Combined[$i].Severity
                $rows[$i].Rule | Should -Be $script:Combined[$i].Rule
                $rows[$i].Path | Should -Be "$($script:Combined[$i].Path)"
                $rows[$i].Index | Should -Be "$($script:Combined[$i].Index)"
                $rows[$i].Count | Should -Be "$($script:Combined[$i].Count)"
                $rows[$i].Message | Should -Be $script:Combined[$i].Message
            }
        }

        It 'converts to JSON with the same fields' {
            $json = $script:Combined | ConvertTo-Json | ConvertFrom-Json
            @($json).Count | Should -Be $script:Combined.Count
            ($json | Where-Object Rule -EQ 'NonFiniteImage').Index | Should -Be 5
        }

        It 'formats as a table without errors' {
            { $script:Combined | Format-Table | Out-String } | Should -Not -Throw
            ($script:Combined | Format-Table | Out-String) | Should -BeLike '*FlagNotBinary*'
        }
    }
}
