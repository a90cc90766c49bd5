#!/usr/bin/env bash
# What the held-out points between epoch ends cost: the whole default `./lossfloor train` with its default cadence
# (a point at step 0 and about 40 over the run) against the same run with --eval-every 0 (epoch ends only), side by
# side in one invocation, alternating for ROUNDS rounds. Prints each round's wall time, the medians and their ratio.
# The epoch-end rows of the two runs are compared too: they must be identical to the last bit.
#
#   bench/eval-cadence.sh              # 5 rounds of the built-in source's default run (about a minute each)
#   ROUNDS=3 ARGS="--corpus tinyshakespeare --max-steps 3000" bench/eval-cadence.sh
#
# A benchmark, not a test: run it on an otherwise idle machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-5}"; args="${ARGS:-}"
(cd "$root" && ./lossfloor --version >/dev/null)
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; threads 1; $rounds rounds; train ${args:-(defaults)}"
run() { # name, extra args -> seconds
  local dir="$out/$1-$2" start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$root/lossfloor" train $args --no-baselines --out "$dir" $3 > "$dir.log" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
cadence=(); epochs=()
for r in $(seq 1 "$rounds"); do
  a=$(run cadence "$r" ""); b=$(run epochs "$r" "--eval-every 0")
  cadence+=("$a"); epochs+=("$b")
  printf 'round %d: default cadence %.1f s (%d evaluations), --eval-every 0 %.1f s (%d), ratio %.3f\n' "$r" "$a" \
    "$(wc -l < "$out/cadence-$r/metrics.jsonl")" "$b" "$(wc -l < "$out/epochs-$r/metrics.jsonl")" "$(echo "$a / $b" | bc -l)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mc=$(median "${cadence[@]}"); me=$(median "${epochs[@]}")
printf 'median: default cadence %.1f s, --eval-every 0 %.1f s, ratio %.3f\n' "$mc" "$me" "$(echo "$mc / $me" | bc -l)"
python3 - "$out" "$rounds" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
keys = None
for r in range(1, rounds + 1):
    a = [json.loads(l) for l in open(f"{out}/cadence-{r}/metrics.jsonl")]
    b = [json.loads(l) for l in open(f"{out}/epochs-{r}/metrics.jsonl")]
    ends = [x for x in a if x["epoch_end"]]
    keys = [k for k in b[0] if k.startswith("val_") or k in ("floor_bpc", "true_bpc", "gap_bpc")]
    same = len(ends) == len(b) and all(x[k] == y[k] for x, y in zip(ends, b) for k in keys)
    print(f"round {r}: epoch-end rows {'identical' if same else 'DIFFERENT'} ({len(ends)} rows, keys {', '.join(keys)})")
PY
