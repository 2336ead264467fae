#!/usr/bin/env bash
# AFL campaign against ClusterPS's NPZ/NPY reader. See fuzz/README.md.
#
#   fuzz/run.sh [DURATION_SECONDS]          build, instrument, seed, fuzz (default 3600 s)
#   RESUME=1 fuzz/run.sh 1800               continue the campaign in fuzz/out/findings
#   fuzz/run.sh --repro FILE|DIR...         run the contract on files (no AFL), e.g. on
#                                           fuzz/out/findings/default/crashes
#
# Environment:
#   FUZZ_TIMEOUT_MS  afl-fuzz -t per input (default 2000; a .NET child restart after a hang
#                    takes ~0.3 s, so keep it well above that)
#   SEED_MAX_BYTES   largest test-data file copied in as a seed (default 50000)
#   FUZZ_NICE        nice level for afl-fuzz and the target (default 10)
#   FUZZ_HEAP_LIMIT  DOTNET_GCHeapHardLimit of the target, hex bytes (default 0x40000000 = 1 GiB):
#                    an allocation the input cannot justify then fails fast as a crash
#                    instead of swapping the machine
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUT="$HERE/out"
BIN="$OUT/bin"
SEEDS="$OUT/in"
FINDINGS="$OUT/findings"
DURATION="${1:-3600}"
TIMEOUT_MS="${FUZZ_TIMEOUT_MS:-2000}"
SEED_MAX="${SEED_MAX_BYTES:-50000}"
NICE="${FUZZ_NICE:-10}"

build() {
  cd "$ROOT"
  dotnet tool restore >/dev/null
  # sharpfuzz rewrites assemblies in place and refuses already instrumented ones: publish afresh.
  rm -rf "$BIN"
  dotnet publish "$HERE/ClusterPS.Fuzz/ClusterPS.Fuzz.csproj" -c Release -o "$BIN" --nologo -v quiet
  # The reader (ClusterPS.Format.dll in older trees), the zip layer around SharpZipLib (absent in
  # older trees) and SharpZipLib itself.
  for dll in ClusterPS.Core.dll ClusterPS.Format.dll ClusterPS.Codecs.dll ICSharpCode.SharpZipLib.dll; do
    [[ -f "$BIN/$dll" ]] || continue
    echo "instrumenting $dll"
    dotnet sharpfuzz "$BIN/$dll"
  done
}

if [[ "${1:-}" == "--repro" ]]; then
  shift
  [[ -f "$BIN/ClusterPS.Fuzz.dll" ]] || build
  exec dotnet "$BIN/ClusterPS.Fuzz.dll" --repro "$@"
fi

build

if [[ "${RESUME:-0}" == "1" && -d "$FINDINGS/default" ]]; then
  INPUT="-"
else
  rm -rf "$SEEDS" "$FINDINGS"
  mkdir -p "$SEEDS"
  # Tiny seeds (fuzz/make_seeds.py), then every small test-data file, valid or not.
  cp "$HERE"/seeds/*.npz "$SEEDS"/
  dirs=()
  for d in golden broken adversarial fuzz-regressions; do
    [[ -d "$ROOT/tests/data/$d" ]] && dirs+=("$ROOT/tests/data/$d")
  done
  find "${dirs[@]}" -name '*.npz' -size -"${SEED_MAX}"c |
    while read -r f; do
      rel="${f#"$ROOT"/tests/data/}"
      cp "$f" "$SEEDS/${rel//\//_}"
    done
  # afl-fuzz refuses empty seeds.
  find "$SEEDS" -size 0 -delete
  echo "$(ls "$SEEDS" | wc -l) seeds in $SEEDS"
  INPUT="$SEEDS"
fi

export AFL_SKIP_BIN_CHECK=1                      # the target is `dotnet`, instrumented by sharpfuzz instead
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1   # core_pattern is not ours to change
export AFL_NO_AFFINITY=1                         # shared machine: do not pin a core
export AFL_AUTORESUME=1
export DOTNET_GCHeapHardLimit="${FUZZ_HEAP_LIMIT:-0x40000000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
[[ -t 1 ]] || export AFL_NO_UI=1

mkdir -p "$FINDINGS"
echo "afl-fuzz for ${DURATION}s, -t ${TIMEOUT_MS} ms, findings in $FINDINGS"
set +e
nice -n "$NICE" afl-fuzz -i "$INPUT" -o "$FINDINGS" -t "$TIMEOUT_MS" -m none -V "$DURATION" \
  -x "$HERE/npz.dict" -- dotnet "$BIN/ClusterPS.Fuzz.dll"
status=$?
set -e

# Scratch folders of the harness (one per child process), unless that process still runs
# (another campaign). The child notices afl-fuzz's end within a second.
sleep 2
for d in /dev/shm/clusterps-fuzz-*; do
  [[ -d "$d" ]] || continue
  kill -0 "${d##*-}" 2>/dev/null || rm -rf "$d"
done

STATS="$FINDINGS/default/fuzzer_stats"
if [[ -f "$STATS" ]]; then
  echo "--- campaign stats"
  grep -E '^(start_time|last_update|run_time|execs_done|execs_per_sec|corpus_count|corpus_found|saved_crashes|saved_hangs|bitmap_cvg|stability)' "$STATS"
  for kind in crashes hangs; do
    n=$(find "$FINDINGS/default/$kind" -name 'id:*' 2>/dev/null | wc -l)
    echo "$kind: $n"
    if [[ "$n" -gt 0 ]]; then
      dotnet "$BIN/ClusterPS.Fuzz.dll" --repro "$FINDINGS/default/$kind" || true
    fi
  done
fi
exit $status
