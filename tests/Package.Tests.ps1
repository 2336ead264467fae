# The module as the PowerShell Gallery would receive it: published to a local file repository
# with Publish-PSResource, saved from there into an empty module folder, and imported BY NAME
# in a new pwsh whose PSModulePath holds only that folder.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:ModuleDir = Split-Path -Parent (Get-ModuleManifestPath)
    $script:Version = (Import-PowerShellDataFile -LiteralPath (Get-ModuleManifestPath)).ModuleVersion
    $script:RepositoryName = 'ClusterPSTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:RepositoryDir = Join-Path $TestDrive 'repo'
    $script:InstallDir = Join-Path $TestDrive 'modules'
    $null = New-Item -ItemType Directory -Path $script:RepositoryDir, $script:InstallDir

    Register-PSResourceRepository -Name $script:RepositoryName -Uri $script:RepositoryDir -Trusted
    Publish-PSResource -Path $script:ModuleDir -Repository $script:RepositoryName
    $script:Package = Join-Path $script:RepositoryDir "ClusterPS.$($script:Version).nupkg"
}

AfterAll {
    Unregister-PSResourceRepository -Name $script:RepositoryName -ErrorAction Ignore
}

Describe 'Gallery package' {
    It 'passes Test-ModuleManifest with the fields the Gallery shows' {
        $manifest = Test-ModuleManifest -Path (Get-ModuleManifestPath)
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.Description.Length | Should -BeGreaterThan 50
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.Tags | Should -Contain 'PSEdition_Core'
        $manifest.Tags | Should -Contain 'Linux'
        # Only what CI tests: no platform or edition tag for Windows, macOS or Windows PowerShell.
        $manifest.Tags | Should -Not -Contain 'Windows'
        $manifest.Tags | Should -Not -Contain 'MacOS'
        $manifest.Tags | Should -Not -Contain 'PSEdition_Desktop'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.ReleaseNotes | Should -Match '\d+\.\d+\.\d+'
    }

    It 'is published as ClusterPS.<version>.nupkg holding the module and nothing else' {
        $script:Package | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($script:Package)
        try {
            $entries = $zip.Entries.FullName
        }
        finally {
            $zip.Dispose()
        }
        $entries | Should -Contain 'ClusterPS.psd1'
        $entries | Should -Contain 'ClusterPS.dll'
        $entries | Should -Contain 'ClusterPS.Format.ps1xml'
        $entries | Should -Contain 'ClusterPS.Types.ps1xml'
        $entries | Should -Contain 'ClusterPS.Core.dll'
        $entries | Should -Contain 'bin/ICSharpCode.SharpZipLib.dll'
        $entries | Should -Contain 'en-US/ClusterPS.dll-Help.xml'
        $entries | Where-Object { $_ -like '*.pdb' -or $_ -like '*System.Management.Automation*' } | Should -BeNullOrEmpty
    }

    It 'installs from the repository and imports by name in a new session' {
        Save-PSResource -Name ClusterPS -Repository $script:RepositoryName -Path $script:InstallDir -TrustRepository
        Join-Path $script:InstallDir 'ClusterPS' $script:Version 'ClusterPS.psd1' | Should -Exist

        $lines = Invoke-FreshPwsh @"
`$env:PSModulePath = '$($script:InstallDir)'
Import-Module ClusterPS -ErrorAction Stop
'path=' + (Get-Module ClusterPS).ModuleBase
'cmdlets=' + (((Get-Command -Module ClusterPS).Name | Sort-Object) -join ',')
'clusters=' + (Get-ClusterStatistics '$(Get-SamplesPath)').Clusters
'help=' + ((Get-Help Select-Cluster).Synopsis.Length -gt 20)
"@
        $lines | Should -Contain ('path=' + (Join-Path $script:InstallDir 'ClusterPS' $script:Version))
        $lines | Should -Contain 'clusters=450'
        $lines | Should -Contain 'help=True'
        # Every cmdlet the manifest exports, and nothing else, in one comma-separated line.
        $expected = 'cmdlets=' + (((Import-PowerShellDataFile -LiteralPath (Get-ModuleManifestPath)).CmdletsToExport | Sort-Object) -join ',')
        $lines | Should -Contain $expected
    }
}
