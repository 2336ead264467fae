BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    $manifestPath = Get-ModuleManifestPath
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
    $module = Get-Module -Name ClusterPS
}

Describe 'The ClusterPS module' {
    It 'is imported from the built manifest' {
        $module | Should -Not -BeNullOrEmpty
        $module.ModuleBase | Should -Be (Split-Path -Parent $manifestPath)
        $module.Version | Should -Be ([version] $manifest.ModuleVersion)
    }

    It 'has a manifest that passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports the <_> cmdlet' -ForEach @(
        'Get-ClusterBatch'
        'Select-Cluster'
        'Get-ClusterStatistics'
    ) {
        $module.ExportedCmdlets.Keys | Should -Contain $_
    }

    It 'exports exactly the cmdlets named in CmdletsToExport' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports no functions' {
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
    }

    It 'exports no aliases' {
        $manifest.AliasesToExport | Should -BeNullOrEmpty
        $module.ExportedAliases.Keys | Should -BeNullOrEmpty
    }
}
