#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of model-trainer's test sources, e.g.:
#   bench/jmh.sh StreamingScorerBenchmark            (all parameters)
#   bench/jmh.sh StreamingScorerBenchmark -p dim=512 -f 1 -wi 3 -i 5 -t 1
#   JMH_JAVA_OPTS= bench/jmh.sh StreamingScorerBenchmark      (without the Vector API: scalar loops)
# Extra arguments go to JMH (org.openjdk.jmh.Main -h lists them).
#
# One Maven reactor run compiles model-trainer and the modules it depends on (-am) and writes its
# test classpath, so nothing of io.sfastream has to be installed in ~/.m2 first: the sibling modules
# resolve to their target/classes inside the reactor. Each module of the reactor writes its own
# target/jmh-classpath.txt (a relative mdep.outputFile is taken relative to the module).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="$ROOT/model-trainer/target/jmh-classpath.txt"
rm -f "$CP_FILE"
mvn -q -B -pl model-trainer -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt
if [[ ! -s "$CP_FILE" ]]; then
  echo "jmh.sh: Maven did not write $CP_FILE" >&2
  exit 1
fi
# JVM flags of the JMH JVM, which its benchmark forks inherit. The default resolves the incubating
# Vector API, so SfaStreamingScorer runs its vector kernels; JMH_JAVA_OPTS= (empty) measures the
# scalar fallback that JVMs without the module get.
# shellcheck disable=SC2086
exec java ${JMH_JAVA_OPTS---add-modules=jdk.incubator.vector} -cp "$ROOT/model-trainer/target/test-classes:$ROOT/model-trainer/target/classes:$(cat "$CP_FILE")" \
  org.openjdk.jmh.Main "$@"
