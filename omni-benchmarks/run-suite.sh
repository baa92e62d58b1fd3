#!/usr/bin/env bash
# Runs Omni's benchmark suite: builds benchmarks.jar, runs every benchmark with modest JMH
# settings (≤ 15 minutes on 2 cores), writes JMH JSON to omni-benchmarks/target/, and prints a
# table of Omni/peer ratios. Usage, from anywhere in the repository:
#
#   omni-benchmarks/run-suite.sh            # build, then run everything
#   SKIP_BUILD=1 omni-benchmarks/run-suite.sh
#   QUICK=1 omni-benchmarks/run-suite.sh    # smallest sizes only, a smoke test of the suite
#   HEAP_1E7=1 omni-benchmarks/run-suite.sh # heap per identifier at 10^7 too (about 4 more minutes)
#
# Each step is a (name, JMH arguments) pair below: a new benchmark adds one step and its JSON file
# is picked up by the ratio table, provided it names its implementations with an `impl`
# parameter whose reference value is OMNI (or BATCHED). JDBC ingest needs PostgreSQL running.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/target"
jar="$out/benchmarks.jar"
java="${JAVA:-java}"

cd "$root"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -DskipTests package -pl omni-core,omni-benchmarks -am
fi
mkdir -p "$out"
rm -f "$out"/jmh-*.json "$out"/heap-results.json

# Modest settings: one fork, short warm-up and measurement. Ratios come from one run; absolute
# numbers drift on a shared 2-core machine.
common=(-f 1 -wi 2 -i 3 -w 2s -r 2s)
# Omni's link path is many methods deep: under a loaded machine the JIT needs more than 4 s to
# settle it (seen as scores still rising through the measured iterations), so the identity
# benchmark warms up for 10 s, the same for both sides
identity=(-f 1 -wi 5 -i 3 -w 2s -r 2s)
big=(-f 1 -wi 1 -i 2 -w 6s -r 6s)   # 10^7: a pass over the data takes seconds
if [[ -n "${QUICK:-}" ]]; then
  common=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
fi

step() {
  local name="$1"; shift
  echo "=== $name: $*" >&2
  "$java" -jar "$jar" "$@" -rf json -rff "$out/jmh-$name.json"
}

start=$(date +%s)
if [[ -n "${QUICK:-}" ]]; then
  step union-find 'UnionFindBenchmark' -p size=10000 "${common[@]}"
  step identity-link 'IdentityLinkBenchmark' -p size=10000 "${common[@]}"
  step cart-merge 'CartMergeBenchmark' -p size=10 "${common[@]}"
  heap_sizes=(10000)
else
  # 1. union-find core: Omni vs JGraphT vs JGAlgo, 10^4, 10^6, 10^7 elements
  step union-find 'UnionFindBenchmark' "${common[@]}"
  # 2. identity resolution through the public API vs JGraphT UnionFind<String>
  step identity-link 'IdentityLinkBenchmark' -p size=10000,1000000 "${identity[@]}"
  step identity-link-1e7 'IdentityLinkBenchmark' -p size=10000000 "${big[@]}"
  heap_sizes=(10000 1000000)
  if [[ -n "${HEAP_1E7:-}" ]]; then
    heap_sizes+=(10000000)   # 10^7 adds about 4 minutes: Omni links 7.5M pairs through the public API
  fi
fi
# 2b. the cost of a link against the size of the cluster it lands in (10 to 10^6 identifiers of one
#     type, unbounded limit): flat, since type counts are kept exactly as they change
if [[ -n "${QUICK:-}" ]]; then
  step cluster-size 'ClusterSizeLinkBenchmark' -p size=10,1000 "${common[@]}"
else
  step cluster-size 'ClusterSizeLinkBenchmark' "${common[@]}"
fi
# 3. cart merge: CartState.merge vs Pekko LWWMap.merge, 10, 50, 200 lines per replica
if [[ -z "${QUICK:-}" ]]; then
  step cart-merge 'CartMergeBenchmark' "${common[@]}"
fi
# 4. JDBC ingest: linkAll in batches of 1,000 vs link once per transaction, on PostgreSQL and
#    MariaDB (at OMNI_BENCH_POSTGRES_URL / OMNI_BENCH_MARIADB_URL, default 127.0.0.1, user postgres /
#    root, db test) and in-memory H2, each trial ending with its per-statement breakdown
if [[ -z "${QUICK:-}" ]]; then
  step jdbc-ingest 'JdbcIngestBenchmark' -p database=POSTGRESQL,MARIADB,H2 -f 1 -wi 2 -i 3 -w 5s -r 5s \
    -jvmArgsAppend -Domni.bench.statements=true \
    || echo "=== JDBC ingest failed: are PostgreSQL and MariaDB up? (see the message above); the rest of the suite goes on" >&2
fi

# 5. heap bytes per identifier, a plain program: a heap delta needs a quiet JVM of its own
echo "=== heap per identifier: ${heap_sizes[*]}" >&2
"$java" -XX:+UseParallelGC -Xms12g -Xmx12g -cp "$jar" io.omni.benchmarks.HeapPerIdentifier \
  "$out/heap-results.json" "${heap_sizes[@]}"

echo "=== suite took $(( $(date +%s) - start )) s; JSON in $out" >&2
"$java" -cp "$jar" io.omni.benchmarks.Ratios "$out"/jmh-*.json "$out/heap-results.json" | tee "$out/ratios.md"
