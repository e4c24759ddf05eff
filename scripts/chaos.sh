#!/usr/bin/env bash
# Chaos tests, two modes.
#
#   scripts/chaos.sh [N]
#     Runs the kill -9 crash tests N times in a row (default 10): both dispatchers are killed after the provider
#     accepted their batch but before BatchSubmitted was written, the poller in the middle of its results
#     transaction (CrashRecoveryIT); the planner mid fan-out and the recorder twice mid write (PlannerRecorderCrashIT).
#     Each run must complete with every generation recorded once and every request paid once.
#
#   scripts/chaos.sh random [--seed S] [--kills K] [--mode batch|sync] [--window SECONDS] [--timeout SECONDS] [--keep]
#     Starts a fresh local stack (./apex up, its data under .apex/chaos-S), runs the 15 lanes x 21 prompts, and
#     meanwhile kills -9 a random service (planner, dispatcher-openai, dispatcher-anthropic, poller, recorder) at K
#     random moments of the first SECONDS of the run (default 90), restarting each one (./apex up). Then it waits for
#     the run to finish and checks: every generation of the run is final (none 'requested' or 'submitted', 315 of
#     them); the simulator's ledger bills every request at most once; `apex rebuild` gives identical tables (an md5
#     of every row of every table before and after). Choices and moments come from bash's RANDOM seeded with S
#     (printed, default from the clock): `--seed S` replays the same kills. Exits non-zero naming each violation.
#     The simulator slows down so that the kills meet work in flight (--sim-config JSON replaces that): in batch
#     mode every batch create is carried out and then answered 3 s late (a kill of a dispatcher then lands between
#     the provider accepting a batch and BatchSubmitted) and batches take about 70 s; in sync mode every
#     synchronous call takes 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

crash_tests() {
  local runs="${1:-10}" passed=0 i
  ./mvnw -q -B install -DskipTests
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
}

if [[ "${1:-}" != random ]]; then
  crash_tests "$@"
  exit
fi
shift

seed="$(date +%s)"
kills=5
mode=batch
window=90
timeout=1200
keep=0
sim_config=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --kills) kills="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --sim-config) sim_config="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "chaos: unknown option '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done
[[ "$seed" =~ ^[0-9]+$ && "$kills" =~ ^[0-9]+$ && "$window" =~ ^[1-9][0-9]*$ && "$timeout" =~ ^[0-9]+$ ]] \
  || { echo "chaos: --seed, --kills, --window and --timeout take whole numbers" >&2; exit 2; }
case "$mode" in
  batch) run_flags=(--batch-mode)
    [[ -n "$sim_config" ]] || sim_config='{"phases":{"validating":"PT5S","in-progress":"PT60S","finalizing":"PT5S"},
      "faults":{"timeout-hold":"PT3S","created-timeout-end":"answer","endpoints":{
      "openai.batches.create":{"created-timeout":1.0},"anthropic.batches.create":{"created-timeout":1.0}}}}' ;;
  sync) run_flags=()
    [[ -n "$sim_config" ]] || sim_config='{"faults":{"slow-delay":"PT1S","endpoints":{"openai.chat":{"slow":1.0},"anthropic.messages":{"slow":1.0}}}}' ;;
  *) echo "chaos: --mode is batch or sync" >&2; exit 2 ;;
esac

# a stack of its own: its own embedded Postgres (a rebuild empties the tables) and the simulator, never a paid API
unset APEX_DB_URL APEX_DB_USER APEX_DB_PASSWORD APEX_OPENAI_BASE_URL APEX_ANTHROPIC_BASE_URL
export APEX_HOME="$ROOT/.apex/chaos-$seed"
LOG="$APEX_HOME/chaos.log"
SERVICES=(planner dispatcher-openai dispatcher-anthropic poller recorder)
EXPECTED=315
failures=()

say() { printf '[chaos %s] %s\n' "$(date +%T)" "$*" | tee -a "$LOG" >&2; }
fail() { failures+=("$*"); say "VIOLATION: $*"; }
apex() { "$ROOT/apex" "$@" >>"$LOG" 2>&1; }
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }

# every port of the local stack's definition (local-stack.properties), as ./apex resolves it
for port in $("$ROOT/apex" stack | sed -n 's/^[a-z.-]*port=//p'); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "chaos: port $port is in use: stop the running stack first (./apex down)" >&2
    exit 2
  fi
done
rm -rf "$APEX_HOME"
mkdir -p "$APEX_HOME"
trap '[[ $keep -eq 1 ]] || apex down || true' EXIT

say "seed $seed: $kills kills in the first ${window}s of a $mode run (replay: scripts/chaos.sh random --seed $seed --kills $kills --mode $mode --window $window); log $LOG"
RANDOM=$seed
moments=()
for ((i = 0; i < kills; i++)); do moments+=($((RANDOM % window + 1))); done
mapfile -t moments < <(printf '%s\n' "${moments[@]}" | sort -n)
victims=()
for ((i = 0; i < kills; i++)); do victims+=("${SERVICES[$((RANDOM % ${#SERVICES[@]}))]}"); done
say "plan: $(for ((i = 0; i < kills; i++)); do printf '+%ss %s; ' "${moments[$i]}" "${victims[$i]}"; done)"

say "starting the stack (a few minutes on a busy machine)"
apex up || { say "the stack did not start: see $LOG and $APEX_HOME/logs"; exit 1; }
# shellcheck disable=SC1091
set -a; . "$APEX_HOME/stack.env"; set +a
curl -fsS -o /dev/null -H 'content-type: application/json' -d "$sim_config" "$APEX_SIMULATOR_URL/_sim/config" \
  || { say "the simulator refused $sim_config"; exit 1; }
apex lanes register && apex prompts ingest || { say "registering lanes and prompts failed: see $LOG"; exit 1; }

run_id="chaos-$seed-$mode"
apex run --all-lanes "${run_flags[@]}" --run-id "$run_id" --created-by chaos --notes "chaos seed $seed" \
  || { say "the run was not accepted: see $LOG"; exit 1; }
started=$SECONDS
say "run $run_id started"

for ((i = 0; i < kills; i++)); do
  wait_s=$((started + moments[i] - SECONDS))
  ((wait_s > 0)) && sleep "$wait_s"
  victim="${victims[$i]}"
  pid="$(cat "$APEX_HOME/pids/$victim.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    say "kill $((i + 1))/$kills at +$((SECONDS - started))s: $victim (pid $pid)"
  else
    say "kill $((i + 1))/$kills at +$((SECONDS - started))s: $victim was not running"
  fi
  sleep $((RANDOM % 5))
  apex up || fail "$victim did not come back after kill $((i + 1)): see $APEX_HOME/logs/$victim.log"
  say "restarted $victim (pid $(cat "$APEX_HOME/pids/$victim.pid" 2>/dev/null || echo '?'))"
done

final_sql="SELECT count(*) FILTER (WHERE status NOT IN ('requested', 'submitted')) || ' ' || count(*)
           FROM apex_audition.generations WHERE run_id = '$run_id'"
say "waiting up to ${timeout}s for the run to finish"
deadline=$((SECONDS + timeout))
while :; do
  read -r final total <<<"$(sql "$final_sql" 2>/dev/null || echo '0 0')"
  [[ "$final" -eq "$EXPECTED" && "$total" -eq "$EXPECTED" ]] && break
  if ((SECONDS > deadline)); then
    fail "after ${timeout}s, $final of $total generations of $run_id are final (expected $EXPECTED)"
    break
  fi
  sleep 5
done
say "generations of $run_id: $(sql "SELECT string_agg(kind || ' ' || n, ', ') FROM (SELECT status
     || COALESCE(' (' || error_kind || ')', '') kind, count(*) n FROM apex_audition.generations WHERE run_id = '$run_id'
     GROUP BY 1 ORDER BY 1) s")"
[[ "$total" -eq "$EXPECTED" ]] || fail "$total generations recorded for $run_id, expected $EXPECTED"
open="$(sql "SELECT count(*) FROM apex_audition.generations WHERE run_id = '$run_id' AND status IN ('requested', 'submitted')")"
[[ "$open" -eq 0 ]] || fail "$open generations of $run_id are still 'requested' or 'submitted'"

# paid once: every billed request appears once in the ledger (a batch request by its custom id, a synchronous
# call by its body, which names the lane's model and parameters and the prompt)
ledger="$(curl -fsS "$APEX_SIMULATOR_URL/_sim/ledger")"
billed="$(jq length <<<"$ledger")"
twice="$(jq -r '[.[] | (.customId // (.body | tostring))] | group_by(.) | map(select(length > 1))
  | map((.[0] | .[0:80]) + " x" + (length | tostring)) | .[]' <<<"$ledger")"
say "ledger: $billed billed requests, $(jq '[.[] | .batchId] | unique | map(select(. != null)) | length' <<<"$ledger") batches"
[[ -z "$twice" ]] || fail "billed more than once: $(tr '\n' ' ' <<<"$twice")"
((billed <= EXPECTED)) || fail "$billed requests billed for $EXPECTED generations"

# replay: the tables rebuilt from the topics are the tables as recorded
digests() {
  local t
  for t in runs conditions prompts batches generations dead_letters dispatch_intents generation_attempts verdicts; do
    printf '%s %s\n' "$t" "$(sql "SELECT count(*) || ':' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '')
      FROM apex_audition.$t t")"
  done
}
before="$(digests)"
for ((i = 0; i < 12; i++)); do # the recorder may still be writing the last events: wait until nothing changes
  sleep 5
  now="$(digests)"
  [[ "$now" == "$before" ]] && break
  before="$now"
done
if apex rebuild; then
  after="$(digests)"
  if [[ "$after" != "$before" ]]; then
    fail "apex rebuild changed the tables: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')"
  else
    say "rebuild: all 8 tables identical"
  fi
else
  fail "apex rebuild failed: see $LOG"
fi

if ((${#failures[@]} > 0)); then
  say "FAILED (seed $seed): ${#failures[@]} violation(s); logs in $APEX_HOME/logs"
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
say "PASSED (seed $seed): $kills kills, $EXPECTED generations final, each request billed at most once, rebuild identical"
