#!/usr/bin/env bash
# Submit the streaming pipeline to a Flink cluster through Beam's portable Flink runner.
# The Python process starts the Flink job server (Java, downloaded once by Beam) and submits
# the job; the SDK harness runs in the worker image (DOCKER) or in a sidecar (EXTERNAL, see
# flink-deployment.yaml). Checkpointing must be on: Flink finalizes bundles, and so commits
# Kafka offsets, only on checkpoint completion.
set -euo pipefail
: "${FLINK_MASTER:?host:port of the Flink REST endpoint, e.g. flink-jobmanager:8081}"
: "${KAFKA_BOOTSTRAP:?Kafka bootstrap servers}"
: "${WORKER_IMAGE:?worker image built from deploy/Dockerfile}"
: "${OUTPUT:?output URI, e.g. s3://bucket/newsevents or hdfs:///newsevents}"
TOPIC="${TOPIC:-articles}"
PARALLELISM="${PARALLELISM:-4}"

exec newsevents run --source kafka --streaming \
  --bootstrap-servers "$KAFKA_BOOTSTRAP" --topic "$TOPIC" --start committed --group-id newsevents \
  --output "$OUTPUT" --progress-interval 0 \
  --runner FlinkRunner --flink_master "$FLINK_MASTER" --flink_version 1.19 \
  --parallelism "$PARALLELISM" --checkpointing_interval 60000 --checkpointing_mode EXACTLY_ONCE \
  --environment_type "${ENVIRONMENT_TYPE:-DOCKER}" \
  --environment_config "${ENVIRONMENT_CONFIG:-$WORKER_IMAGE}" \
  --setup_file ./setup.py
