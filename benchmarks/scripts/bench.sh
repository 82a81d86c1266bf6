#!/usr/bin/env bash
# Runs the benchmark runner, building what it needs first. Every argument goes to BenchMain:
#   benchmarks/scripts/bench.sh --scenario point-select --clients 1,32 --pool-size 16
#   benchmarks/scripts/bench.sh --help
# Needs a JDK 17+ and Maven; the haproxy target needs `apt-get install -y haproxy` (skipped if absent);
# the sysbench-* scenarios need sysbench, installed here with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ " $* " == *" --scenario sysbench"* || " $* " == *" --scenario=sysbench"* ]] && ! command -v sysbench >/dev/null; then
  echo "sysbench not found: installing it (apt-get install -y sysbench)" >&2
  apt-get install -y sysbench >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y sysbench >/dev/null; }
fi
# Thousands of client connections need thousands of open files in this process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl benchmarks -am
exec java -Xms1g -Xmx2g -XX:+UseParallelGC -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.mysqlmux.bench.BenchMain "$@"
