#!/usr/bin/env bash
# Runs the kill -9 crash tests N times in a row (default 10): both dispatchers are killed after the provider
# accepted their batch but before BatchSubmitted was written, the poller in the middle of its results
# transaction (CrashRecoveryIT); the planner mid fan-out and the recorder twice mid write (PlannerRecorderCrashIT).
# Each run must complete with every generation recorded once and every request paid once.
# Usage: scripts/chaos.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
./mvnw -q -B install -DskipTests
passed=0
for ((i = 1; i <= runs; i++)); do
  echo "== crash run $i/$runs"
  if ./mvnw -q -B verify -pl e2e-tests -Dit.test='CrashRecoveryIT,PlannerRecorderCrashIT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false; then
    passed=$((passed + 1))
  else
    echo "crash run $i failed: see e2e-tests/target/failsafe-reports and e2e-tests/target/e2e-logs" >&2
  fi
done
echo "$passed passed, $((runs - passed)) failed"
[[ "$passed" -eq "$runs" ]]
