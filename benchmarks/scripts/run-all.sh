#!/usr/bin/env bash
# Runs the reference set of benchmarks quoted in benchmarks/README.md, one after another
# (about 25 minutes on 2 cores). Each run writes a Markdown table and a PNG chart under
# benchmarks/results/. For the HAProxy reference: apt-get update && apt-get install -y haproxy
set -euo pipefail
cd "$(dirname "$0")"
./bench.sh --scenario point-select --clients 1,32 --pool-size 16
./bench.sh --scenario point-select --clients 256,2000 --pool-size 32
./bench.sh --scenario oltp --clients 32,256 --pool-size 16
./bench.sh --scenario storm --targets direct,mysqlmux,haproxy --pool-size 20
./bench.sh --scenario idle --idle-clients 10000
