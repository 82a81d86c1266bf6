#!/usr/bin/env bash
# Runs the benchmark runner, building what it needs first. Every argument goes to BenchMain:
#   benchmarks/scripts/bench.sh --scenario point-select --clients 1,32 --pool-size 16
#   benchmarks/scripts/bench.sh --help
# Needs a JDK 17+ and Maven; the haproxy target needs `apt-get install -y haproxy` (skipped if absent).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Thousands of client connections need thousands of open files in this process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl benchmarks -am
exec java -Xms1g -Xmx2g -XX:+UseParallelGC -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.mysqlmux.bench.BenchMain "$@"
