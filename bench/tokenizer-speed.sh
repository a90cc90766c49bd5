#!/usr/bin/env bash
# Tokenizer speed (a benchmark, not a test): BPE training time for a 4096-id vocabulary on the 4 MB enwik8 prefix,
# our encoder's throughput, and jtokkit's r50k_base against our encoder loaded with the same r50k ranks.
#
#   bench/tokenizer-speed.sh                       # enwik8_head_4000000.txt, vocab 4096, 5 rounds
#   bench/tokenizer-speed.sh FILE [VOCAB] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${LOSSFLOOR_DATA:-$root/../shared/corpora}"
file="${1:-$data/enwik8_head_4000000.txt}"
jar="$root/experiments/target/lossfloor.jar"
[ -f "$file" ] || { echo "tokenizer-speed: $file not found; set LOSSFLOOR_DATA to the corpora directory" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -cp "$jar" dev.lossfloor.experiments.bench.TokenizerBenchmark "$file" "${2:-4096}" "${3:-5}"
