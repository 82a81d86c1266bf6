#!/usr/bin/env bash
# Runs the codec micro-benchmarks (JMH). Extra arguments go to JMH, e.g. -f 2 -wi 5 -i 10.
#   benchmarks/scripts/jmh.sh                 # all of CodecBenchmarks
#   benchmarks/scripts/jmh.sh -prof gc        # with allocation figures
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl benchmarks -am
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main CodecBenchmarks "$@"
