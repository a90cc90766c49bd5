#!/usr/bin/env bash
# Runs the commands of the lab sheets at full size, as a student would, and records what they print in
# labs/recorded/labN/ (the numbers the sheets quote are checked against these files by LabSheetsTest):
#
#   console.out     everything the sheet's ```bash blocks print on stdout
#   commands.sh     those blocks, exactly as run
#   wall.txt        wall-clock seconds of the whole lab, its CPU seconds (user + system, all processes: about the
#                   wall time on an otherwise idle machine, as the tool uses one thread), the load average before
#                   and after, the commit
#   runs/...        metrics.jsonl, config.json, manifest.json, summary.csv, baselines.json of every run directory
#                   (never the checkpoints, plots or the text excerpts: no third-party text is committed)
#
# Usage:   labs/regenerate.sh [N ...]      (default: every lab, 1 to 7)
# Lab 7 reuses lab 6's model (runs/lab6), so regenerate 6 and 7 together. The labs run in one scratch
# directory (LAB_SCRATCH, default a new /tmp/lossfloor-labs.*), where ./lossfloor runs a copy of the freshly built jar.
# LOSSFLOOR_DATA must hold the shared corpora (default: ../shared/corpora beside the repository).
# Run it on an otherwise idle machine if you can: the sheets quote the measured times.
set -euo pipefail
labs="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$labs")"
export LOSSFLOOR_DATA="$(cd "${LOSSFLOOR_DATA:-$repo/../shared/corpora}" && pwd)"
scratch="${LAB_SCRATCH:-$(mktemp -d /tmp/lossfloor-labs.XXXXXX)}"
mkdir -p "$scratch"
ln -sfn "$labs" "$scratch/labs"
# build the jar first (so that no lab's time includes a build) and run a copy of it, as the launcher would, so that
# editing the sources meanwhile changes nothing
(cd "$repo" && ./lossfloor --version)
cp "$repo/experiments/target/lossfloor.jar" "$scratch/lossfloor.jar"
printf '#!/usr/bin/env bash\nLOSSFLOOR_JAR="%s/lossfloor.jar" exec "%s/lossfloor" "$@"\n' "$scratch" "$repo" > "$scratch/lossfloor"
chmod +x "$scratch/lossfloor"

numbers=("$@")
[ ${#numbers[@]} -gt 0 ] || numbers=(1 2 3 4 5 6 7)
for n in "${numbers[@]}"; do
  sheet="$(ls "$labs"/lab"$n"-*.md)"
  out="$labs/recorded/lab$n"
  rm -rf "$out" "$scratch/runs/lab$n"
  mkdir -p "$out"
  # the ```bash blocks of the sheet (```console blocks are examples and are not run)
  awk '/^```bash[[:space:]]*$/ {inside=1; next} /^```/ {inside=0} inside' "$sheet" > "$out/commands.sh"
  echo "=== lab $n: $(basename "$sheet") ($(grep -c . "$out/commands.sh") command lines) in $scratch"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  commit="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- . ':!labs/recorded' || echo ' (with uncommitted changes)')"
  TIMEFORMAT='%R %U %S'
  { time (cd "$scratch" && bash -euo pipefail "$out/commands.sh" > "$out/console.out" 2> "$scratch/lab$n.stderr") ; } 2> "$scratch/lab$n.time" \
    || { echo "lab $n failed; its stderr:"; tail -n 20 "$scratch/lab$n.stderr"; exit 1; }
  read -r real user sys < "$scratch/lab$n.time"
  {
    printf 'wall_seconds %.0f\n' "$real"
    printf 'cpu_seconds %.0f\n' "$(echo "$user + $sys" | bc)"
    printf 'load_average_before %s\n' "$load_before"
    printf 'load_average_after %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'cpus %s\n' "$(nproc)"
    printf 'cpu %s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    printf 'date %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'commit %s\n' "$commit"
  } > "$out/wall.txt"
  if [ -d "$scratch/runs/lab$n" ]; then
    (cd "$scratch/runs" && find "lab$n" -type f \( -name metrics.jsonl -o -name config.json -o -name manifest.json \
        -o -name summary.csv -o -name baselines.json \) -print0 | while IFS= read -r -d '' f; do
      mkdir -p "$out/runs/$(dirname "$f")"
      cp "$f" "$out/runs/$f"
    done)
  fi
  cat "$out/wall.txt"
done
echo "recorded: $labs/recorded (scratch runs kept in $scratch)"
