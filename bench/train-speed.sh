#!/usr/bin/env bash
# Training speed, side by side in one invocation: lossfloor's training step against the PyTorch reference
# (shared/bench/torch_reference_gpt.py), same model (nanoGPT's CPU config: 4 layers, 4 heads, 128 wide,
# context 64, batch 12), same data (Tiny Shakespeare), same machine, same thread count. The two sides alternate
# for ROUNDS rounds; the script prints each round, the medians, the tokens/s ratio and each side's peak RSS.
#
#   bench/train-speed.sh                 # 1 thread, 3 rounds of 100 timed steps after 100 warm-up steps
#   THREADS=2 ROUNDS=5 bench/train-speed.sh
#   CLOCK=cpu ROUNDS=5 bench/train-speed.sh   # 1 thread: CPU time per step on both sides instead of wall time
#
# CLOCK=cpu is for a busy or noisy host: time another process (or the hypervisor) takes from a side does not count.
# lossfloor reports its training thread's CPU time; the PyTorch reference runs unchanged, with time.perf_counter
# replaced by time.process_time (the whole process's CPU time; it does its steps on one thread at THREADS=1).
# Cache and memory-bandwidth contention still count on both sides.
#
# lossfloor runs with the launcher's JVM options (LOSSFLOOR_JAVA_OPTS, default -Xmx2g -XX:+UseSerialGC, and the Vector
# API module); -Dlossfloor.vector=false in LOSSFLOOR_JAVA_OPTS times the OpenBLAS attention path instead.
#
# Needs (once, as root): apt-get install -y python3-torch libopenblas0-openmp. A benchmark, not a test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${LOSSFLOOR_DATA:-$root/../shared/corpora}"
corpus="$data/tinyshakespeare.txt"
reference="${TORCH_REFERENCE:-$root/../shared/bench/torch_reference_gpt.py}"
threads="${THREADS:-1}"; steps="${STEPS:-100}"; warmup="${WARMUP:-100}"; rounds="${ROUNDS:-3}"; clock="${CLOCK:-wall}"
case "$clock" in
  wall) ;;
  cpu) [ "$threads" = 1 ] || { echo "train-speed: CLOCK=cpu compares one thread's CPU time; use THREADS=1" >&2; exit 2; } ;;
  *) echo "train-speed: CLOCK must be wall or cpu, got '$clock'" >&2; exit 2 ;;
esac
jar="$root/experiments/target/lossfloor.jar"

[ -f "$corpus" ] || { echo "train-speed: $corpus not found; set LOSSFLOOR_DATA to the corpora directory" >&2; exit 2; }
[ -f "$reference" ] || { echo "train-speed: $reference not found; set TORCH_REFERENCE" >&2; exit 2; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "train-speed: Debian's torch is missing: apt-get install -y python3-torch libopenblas0-openmp" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)

out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; threads $threads; $steps timed steps after $warmup warm-up, $rounds rounds; clock $clock; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-(unset)}"
for r in $(seq 1 "$rounds"); do
  OMP_NUM_THREADS="$threads" /usr/bin/time -f '%M' -o "$out/lf_rss_$r" \
    java ${LOSSFLOOR_JAVA_OPTS:--Xmx2g -XX:+UseSerialGC} --add-modules jdk.incubator.vector -cp "$jar" dev.lossfloor.experiments.bench.TrainSpeedBenchmark "$corpus" "$steps" "$warmup" "$threads" \
    2>/dev/null | grep '"impl"' > "$out/lf_$r.json"
  /usr/bin/time -f '%M' -o "$out/pt_rss_$r" \
    /usr/bin/python3 -c 'import runpy, sys, time
if sys.argv[1] == "cpu": time.perf_counter = time.process_time
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")' "$clock" "$reference" --data "$corpus" --timing_only 1 --threads "$threads" \
    --max_iters $((steps + 10)) --warmup_steps_excluded 10 --out "$out/pt_$r.json" > /dev/null 2>&1
  /usr/bin/python3 - "$out" "$r" "$clock" <<'PY'
import json, sys
d, r, clock = sys.argv[1], sys.argv[2], sys.argv[3]
lf = json.load(open(f"{d}/lf_{r}.json")); pt = json.load(open(f"{d}/pt_{r}.json"))
if clock == "cpu":  # per-step CPU time: the training thread's (lossfloor), the process's (PyTorch, timed by process_time)
    tokens = lf['tokens_per_sec_median'] * lf['median_ms_per_step'] / 1000
    lf['median_ms_per_step'] = lf['median_cpu_ms_per_step']
    lf['tokens_per_sec_median'] = tokens * 1000 / lf['median_cpu_ms_per_step']
    json.dump(lf, open(f"{d}/lf_{r}.json", "w"))
unit = "CPU ms/step" if clock == "cpu" else "ms/step"
print(f"round {r}: lossfloor {lf['median_ms_per_step']:.1f} {unit} ({lf['tokens_per_sec_median']:.0f} tok/s), "
      f"pytorch {pt['median_ms_per_step']:.1f} {unit} ({pt['tokens_per_sec_median']:.0f} tok/s), "
      f"ratio {lf['tokens_per_sec_median'] / pt['tokens_per_sec_median']:.2f}x")
PY
done
/usr/bin/python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
lf = [json.load(open(f"{d}/lf_{r}.json"))['tokens_per_sec_median'] for r in range(1, n + 1)]
pt = [json.load(open(f"{d}/pt_{r}.json"))['tokens_per_sec_median'] for r in range(1, n + 1)]
rss = lambda side: max(int(open(f"{d}/{side}_rss_{r}").read().split()[-1]) for r in range(1, n + 1)) / 1024
ratios = [a / b for a, b in zip(lf, pt)]
print(f"median tokens/s: lossfloor {statistics.median(lf):.0f}, pytorch {statistics.median(pt):.0f}; "
      f"ratio lossfloor/pytorch {statistics.median(ratios):.2f}x (per round: {', '.join(f'{x:.2f}' for x in ratios)})")
print(f"peak RSS: lossfloor {rss('lf'):.0f} MB, pytorch {rss('pt'):.0f} MB")
PY
