#!/bin/sh
# Runs a class of the broker's classpath (the jars of org.apache.kafka:kafka_2.13 and kafka-tools).
exec java ${KAFKA_HEAP_OPTS:-} ${KAFKA_OPTS:-} -cp '/opt/kafka/libs/*' "$@"
