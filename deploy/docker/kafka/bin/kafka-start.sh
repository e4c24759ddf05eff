#!/bin/sh
# Writes server.properties from the KAFKA_* variables (as the apache/kafka image does: KAFKA_LOG_DIRS -> log.dirs;
# __ -> _, ___ -> -), formats the log directory on first start, then runs the broker in the foreground.
set -eu
config=/opt/kafka/config/server.properties
: > "$config"
env | sort | while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_LOG4J_OPTS|KAFKA_GC_LOG_OPTS|KAFKA_JMX_OPTS) continue ;;
    KAFKA_*) ;;
    *) continue ;;
  esac
  key="$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  printf '%s=%s\n' "$key" "$value" >> "$config"
done
logdir="$(sed -n 's/^log\.dirs=//p' "$config" | cut -d, -f1)"
[ -n "$logdir" ] || { logdir=/var/lib/kafka/data; echo "log.dirs=$logdir" >> "$config"; }
if [ ! -f "$logdir/meta.properties" ]; then
  /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool format --ignore-formatted \
    -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$config"
fi
exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$config"
