# The fuzzing harness (fuzz/) builds outside ClusterPS.sln, against the core library's internals;
# a change to the library must not break it unnoticed (making Cluster.Image internal once did).
# It is compiled here, not run: fuzz/run.sh runs it under afl++.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Root = Split-Path -Parent $PSScriptRoot
}

Describe 'Harnesses outside the solution' {
    It '<Name> compiles' -ForEach @(
        @{ Name = 'the fuzzing harness'; Project = 'fuzz/ClusterPS.Fuzz/ClusterPS.Fuzz.csproj' }
    ) {
        $output = & dotnet build (Join-Path $script:Root $Project) --configuration Release --nologo 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output | Select-Object -Last 15 | Out-String)
    }
}
