#!/bin/sh
# The UBI image's entry point, reduced to what the services' Dockerfiles use: run $JAVA_APP_JAR with the options.
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar "${JAVA_APP_JAR:?set JAVA_APP_JAR}" "$@"
