#!/usr/bin/env bash
# compose-smoke: docker-compose.yml for real, on a machine with a Docker engine and no image registry.
#
#   scripts/compose-smoke.sh
#
# 1. builds the images: a Debian base from Debian's own packages (debootstrap, then docker import; cached in
#    .apex/compose-smoke/, which git ignores), apex/jre17 on it (deploy/docker/jre17), Postgres from Debian's
#    postgresql (deploy/docker/postgres), Kafka from the project's Kafka jars in ~/.m2 (deploy/docker/kafka), and
#    the six services' images (the viewer's too) from their Dockerfile.jvm with --build-arg BASE_IMAGE=apex/jre17;
# 2. brings docker-compose.yml up with the simulator profile, with those images (APEX_KAFKA_IMAGE,
#    APEX_POSTGRES_IMAGE), providers forced to the simulator, a fresh admin token and database password;
# 3. waits until every service is healthy (topics: exited 0);
# 4. registers the 15 lanes and 21 prompts and runs the 315 generations in batch mode through the stack, with
#    the CLI on the published ports (127.0.0.1 only);
# 5. checks the rows with the seed's SQL (315 completed in apex_audition.generations, no error), in the
#    postgres container, and that the viewer (127.0.0.1:8087) serves the run;
# 6. tears it all down (down -v), also on failure, after printing `ps` (and the logs of what is not healthy).
#
# Uses `docker compose` (v2) when the CLI has it, else Debian's docker-compose 1.29, which knows neither the
# top-level name: nor depends_on.required: it gets a copy of docker-compose.yml without them (written to
# .apex/compose-smoke/), which is the same stack with the sim profile on.
# Settings: APEX_SMOKE_TIMEOUT (seconds for the run, 900), APEX_SMOKE_HEALTH_TIMEOUT (seconds to healthy, 420),
# APEX_SMOKE_REBUILD_BASE=1 (rebuild the base, Kafka and Postgres images), APEX_SMOKE_KEEP=1 (leave the stack up).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/.apex/compose-smoke"
PROJECT=apex-audition
VERSION="${APEX_VERSION:-0.1.0-SNAPSHOT}"
KAFKA_IMAGE=apex/kafka:4.1.2
POSTGRES_IMAGE=apex/postgres:bookworm
JRE_IMAGE=apex/jre17
DEBIAN_IMAGE=apex/debian:bookworm
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
START=$SECONDS
mkdir -p "$WORK"

say() { printf '[compose-smoke %4ds] %s\n' "$((SECONDS - START))" "$*"; }
die() { say "FAILED: $*"; exit 1; }

docker info >/dev/null 2>&1 || die "no Docker engine answers (start one: dockerd &, as root)"

# --- which compose -----------------------------------------------------------------------------------------
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose -p "$PROJECT" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" --profile sim)
elif command -v docker-compose >/dev/null 2>&1; then
  python3 - "$ROOT/docker-compose.yml" "$WORK/docker-compose.v1.yml" <<'EOF'
import sys, yaml
compose = yaml.safe_load(open(sys.argv[1]))
compose.pop("name", None)                       # v1: the project name comes from -p
for service in compose["services"].values():
    for condition in (service.get("depends_on") or {}).values():
        if isinstance(condition, dict):
            condition.pop("required", None)     # v1: the sim profile is on, so the simulator is there
with open(sys.argv[2], "w") as out:
    out.write("# written by scripts/compose-smoke.sh from docker-compose.yml for docker-compose 1.x: do not edit\n")
    yaml.safe_dump(compose, out, sort_keys=False, width=1000)
EOF
  COMPOSE=(docker-compose -p "$PROJECT" --project-directory "$ROOT" -f "$WORK/docker-compose.v1.yml" --profile sim)
else
  die "neither 'docker compose' nor docker-compose is installed (apt-get install docker-compose)"
fi
say "compose: ${COMPOSE[*]}"

# --- the jars the images copy ------------------------------------------------------------------------------
MODULES=(provider-simulator planner-service dispatcher-service poller-service recorder-service viewer-service)
missing=0
for m in "${MODULES[@]}"; do [[ -f "$m/target/quarkus-app/quarkus-run.jar" ]] || missing=1; done
ls apex-cli/target/apex-cli-*.jar >/dev/null 2>&1 && [[ -f apex-cli/target/runtime.classpath ]] || missing=1
if ((missing)); then
  say "building the services' fast-jars and the CLI (./mvnw package -DskipTests)"
  ./mvnw -B -ntp -q package -DskipTests || die "the build failed: run ./mvnw package -DskipTests"
fi
if [[ ! -d deploy/docker/kafka/target/libs ]] || ((${APEX_SMOKE_REBUILD_BASE:-0})); then
  say "collecting the Kafka jars (deploy/docker/kafka/pom.xml)"
  rm -rf deploy/docker/kafka/target/libs
  ./mvnw -B -ntp -q -f deploy/docker/kafka/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory=target/libs || die "could not collect the Kafka jars"
fi

# --- images ------------------------------------------------------------------------------------------------
have_image() { docker image inspect "$1" >/dev/null 2>&1 && ! ((${APEX_SMOKE_REBUILD_BASE:-0})); }

if ! have_image "$DEBIAN_IMAGE"; then
  if [[ ! -s "$WORK/debian-bookworm.tar" ]] || ((${APEX_SMOKE_REBUILD_BASE:-0})); then
    if ! command -v debootstrap >/dev/null 2>&1; then
      [[ "$(id -u)" == 0 ]] || die "debootstrap is missing (apt-get install debootstrap, as root)"
      say "installing debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null || die "apt-get install debootstrap failed"
    fi
    say "debootstrap --variant=minbase bookworm (a few minutes, once; cached in $WORK)"
    rootfs="$WORK/rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
      || die "debootstrap failed: see $WORK/debootstrap.log"
    tar -C "$rootfs" -cf "$WORK/debian-bookworm.tar.part" . && mv "$WORK/debian-bookworm.tar.part" "$WORK/debian-bookworm.tar"
    rm -rf "$rootfs"
  fi
  say "docker import $DEBIAN_IMAGE"
  docker import "$WORK/debian-bookworm.tar" "$DEBIAN_IMAGE" >/dev/null
fi
build() { # build TAG CONTEXT [docker build options...]: quiet unless it fails
  local tag="$1" context="$2"; shift 2
  docker build --network host -t "$tag" "$@" "$context" >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log"; die "docker build $tag failed: see $WORK/build.log"; }
}
if ! have_image "$JRE_IMAGE"; then
  say "building $JRE_IMAGE (openjdk-17-jre-headless from Debian)"
  build "$JRE_IMAGE" deploy/docker/jre17 --build-arg BASE_IMAGE="$DEBIAN_IMAGE"
fi
if ! have_image "$POSTGRES_IMAGE"; then
  say "building $POSTGRES_IMAGE (Debian's postgresql)"
  build "$POSTGRES_IMAGE" deploy/docker/postgres --build-arg BASE_IMAGE="$DEBIAN_IMAGE"
fi
say "building $KAFKA_IMAGE and the services' images (BASE_IMAGE=$JRE_IMAGE)"
build "$KAFKA_IMAGE" deploy/docker/kafka --build-arg BASE_IMAGE="$JRE_IMAGE"
for m in "${MODULES[@]}"; do
  build "apex-audition/$m:$VERSION" "$m" -f "$m/src/main/docker/Dockerfile.jvm" --build-arg BASE_IMAGE="$JRE_IMAGE"
done

# --- up ----------------------------------------------------------------------------------------------------
for port in 19092 15432 8081 8085 8087; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "127.0.0.1:$port is taken (./apex up running? './apex down' first): the compose stack publishes it"
  fi
done
export APEX_KAFKA_IMAGE="$KAFKA_IMAGE" APEX_POSTGRES_IMAGE="$POSTGRES_IMAGE" APEX_VERSION="$VERSION"
# never a paid API, whatever .env says: the simulator and its keys
export APEX_OPENAI_BASE_URL=http://simulator:8086 APEX_ANTHROPIC_BASE_URL=http://simulator:8086
export OPENAI_API_KEY=sim-openai-key ANTHROPIC_API_KEY=sim-anthropic-key
APEX_DB_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
APEX_ADMIN_TOKEN="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
export APEX_DB_PASSWORD APEX_ADMIN_TOKEN

teardown() {
  local rc=$?
  if ((rc != 0)); then
    "${COMPOSE[@]}" ps || true
    for s in $("${COMPOSE[@]}" config --services 2>/dev/null); do
      id="$("${COMPOSE[@]}" ps -q "$s" 2>/dev/null || true)"
      [[ -n "$id" ]] || continue
      state="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || true)"
      if [[ "$state" != healthy && "$state" != exited ]]; then
        say "--- last log lines of $s ($state)"; "${COMPOSE[@]}" logs --no-color --tail 40 "$s" || true
      fi
    done
  fi
  if ((${APEX_SMOKE_KEEP:-0})); then
    say "the stack keeps running (APEX_SMOKE_KEEP=1): ${COMPOSE[*]} down -v"
  else
    say "tearing down (down -v)"
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  say "$( ((rc == 0)) && echo "PASSED" || echo "FAILED (exit $rc)") in $((SECONDS - START)) s"
}
trap teardown EXIT
trap 'exit 143' TERM INT
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true   # a previous run's leftovers
say "up -d (profile sim)"
"${COMPOSE[@]}" up -d --no-build >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; die "compose up failed"; }

# --- healthy -----------------------------------------------------------------------------------------------
mapfile -t SERVICES < <("${COMPOSE[@]}" config --services)
deadline=$((SECONDS + ${APEX_SMOKE_HEALTH_TIMEOUT:-420}))
while :; do
  waiting=()
  for s in "${SERVICES[@]}"; do
    id="$("${COMPOSE[@]}" ps -q "$s" 2>/dev/null || true)"
    state="$( [[ -n "$id" ]] && docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}} {{.State.ExitCode}}{{end}}' "$id" 2>/dev/null || echo missing)"
    restarts="$( [[ -n "$id" ]] && docker inspect -f '{{.RestartCount}}' "$id" 2>/dev/null || echo 0)"
    ((restarts < 3)) || die "$s keeps restarting ($restarts restarts)"
    case "$s:$state" in
      topics:"exited 0") ;;
      topics:exited*) die "the topics job failed ($state)" ;;
      *:healthy) ;;
      *) waiting+=("$s=$state") ;;
    esac
  done
  ((${#waiting[@]} == 0)) && break
  ((SECONDS < deadline)) || die "not healthy after ${APEX_SMOKE_HEALTH_TIMEOUT:-420} s: ${waiting[*]}"
  sleep 5
done
say "every service healthy (topics created):"
"${COMPOSE[@]}" ps

# --- the 315 generations, through the stack's published ports ----------------------------------------------
cli() {
  local jar
  jar="$(ls apex-cli/target/apex-cli-*.jar | head -n 1)"
  APEX_ROOT="$ROOT" KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 APEX_PLANNER_URL=http://127.0.0.1:8081 \
    APEX_RECORDER_URL=http://127.0.0.1:8085 APEX_DB_URL=jdbc:postgresql://127.0.0.1:15432/apex APEX_DB_USER=apex \
    "$JAVA" -cp "$jar:$(cat apex-cli/target/runtime.classpath)" io.apexaudition.cli.ApexCli "$@"
}
RUN_ID="compose-smoke-$(date -u +%Y%m%d%H%M%S)"
say "registering the lanes and prompts"
cli lanes register --planner-url http://127.0.0.1:8081 >"$WORK/register.log" 2>&1 \
  || { cat "$WORK/register.log"; die "apex lanes register failed"; }
cli prompts ingest --planner-url http://127.0.0.1:8081 >>"$WORK/register.log" 2>&1 \
  || { cat "$WORK/register.log"; die "apex prompts ingest failed"; }
say "running every lane in batch mode as $RUN_ID (the simulator answers; --wait)"
run_start=$SECONDS
cli run --all-lanes --batch-mode --created-by compose-smoke --notes "compose smoke" --run-id "$RUN_ID" --wait \
  --timeout "${APEX_SMOKE_TIMEOUT:-900}" --planner-url http://127.0.0.1:8081 --bootstrap-servers 127.0.0.1:19092 \
  >"$WORK/run.log" 2>&1 || { tail -n 40 "$WORK/run.log"; die "apex run failed"; }
tail -n 3 "$WORK/run.log"
say "run finished in $((SECONDS - run_start)) s"

# --- the seed's SQL, in the postgres container -------------------------------------------------------------
psql() { "${COMPOSE[@]}" exec -T postgres psql -U apex -d apex -v ON_ERROR_STOP=1 -At -F '|' "$@"; }
status="$(psql -c "
SELECT
  g.lane_id,
  g.status,
  COUNT(*) as count,
  COUNT(*) FILTER (WHERE g.cache_hit) as cache_hits
FROM apex_audition.generations g
WHERE g.run_id = '$RUN_ID'
GROUP BY g.lane_id, g.status
ORDER BY g.lane_id, g.status;")"
printf '%s\n' "$status"
errors="$(psql -c "
SELECT lane_id, prompt_id, error_message
FROM apex_audition.generations
WHERE status = 'error' AND run_id = '$RUN_ID';")"
completed="$(psql -c "SELECT COUNT(*) FROM apex_audition.generations WHERE run_id = '$RUN_ID' AND status = 'completed';")"
lanes="$(grep -c '|completed|21|' <<<"$status" || true)"
[[ -z "$errors" ]] || { printf '%s\n' "$errors"; die "generations in error"; }
[[ "$completed" == 315 && "$lanes" == 15 && "$(wc -l <<<"$status")" == 15 ]] \
  || die "expected 315 completed generations, 21 in each of 15 lanes; got $completed completed"
say "the seed's SQL: 315 generations completed in apex_audition.generations, 21 per lane in 15 lanes, no error"

# --- the viewer reads the same rows ------------------------------------------------------------------------
if command -v curl >/dev/null 2>&1; then
  curl -fsS "http://127.0.0.1:8087/api/runs/$RUN_ID" >"$WORK/viewer-run.json" \
    || die "the viewer does not serve run $RUN_ID (GET http://127.0.0.1:8087/api/runs/$RUN_ID)"
  grep -q "\"$RUN_ID\"" "$WORK/viewer-run.json" || die "the viewer's run $RUN_ID: $(head -c 400 "$WORK/viewer-run.json")"
  say "the viewer serves the run: http://127.0.0.1:8087/run.html?run=$RUN_ID"
else
  say "no curl on this machine: the viewer's answer for the run not checked (its healthcheck passed)"
fi
