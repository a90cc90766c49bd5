#!/usr/bin/env bash
# Entropy baselines of a text (a benchmark, not a test): order-0 entropy, character n-gram models with
# interpolated and modified Kneser-Ney smoothing (orders 1..MAX_ORDER), deflate -9, bzip2 -9 and xz -9e alone and
# conditional on the training split; 90/10 split by character as ../shared/bench/kn_ngram.py. Prints every number
# and the wall time of each part.
#
#   bench/baselines.sh                                   # Tiny Shakespeare, orders 1..8, -Xmx1g
#   bench/baselines.sh ../shared/corpora/enwik6.txt
#   MAX_ORDER=6 HEAP=2g bench/baselines.sh book.txt
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${LOSSFLOOR_DATA:-$root/../shared/corpora}"
file="${1:-$data/tinyshakespeare.txt}"
jar="$root/experiments/target/lossfloor.jar"
[ -f "$file" ] || { echo "baselines: $file not found; give a UTF-8 text file or set LOSSFLOOR_DATA" >&2; exit 2; }
# (re)build the shaded jar when it is missing or older than a source or pom
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi
/usr/bin/time -f 'wall %e s, peak RSS %M KB' \
  java "-Xmx${HEAP:-1g}" -cp "$jar" dev.lossfloor.data.baselines.BaselinesBenchmark "$file" "${MAX_ORDER:-8}"
