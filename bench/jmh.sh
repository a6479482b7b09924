#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of model-trainer's test sources, e.g.:
#   bench/jmh.sh StreamingScorerBenchmark            (all parameters)
#   bench/jmh.sh StreamingScorerBenchmark -p dim=512 -t 1
# Extra arguments go to JMH (org.openjdk.jmh.Main -h lists them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -q -B -pl model-trainer -am test-compile
CP_FILE="$ROOT/model-trainer/target/test-classpath.txt"
mvn -q -B -pl model-trainer dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
exec java -cp "$ROOT/model-trainer/target/test-classes:$ROOT/model-trainer/target/classes:$(cat "$CP_FILE")" \
  org.openjdk.jmh.Main "$@"
