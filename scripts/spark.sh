#!/usr/bin/env bash
# A local Spark cluster with a Spark Connect server, for the Spark engine's
# tests and for trying `analyse --engine spark` (issue 19): Spark from the
# `pyspark` wheel on PyPI (it ships Spark, its jars and the Connect server)
# in a venv, Java 17 from the machine, `local-cluster[2,1,1024]` (a master
# and two executor JVMs of one core and 1 GB each), listening on 127.0.0.1,
# its Python workers in the same venv, with the boardroom package.
# `start` waits until the server answers and prints its address; `stop`
# stops the server and everything it started.
#
# The server ends a response stream after SPARK_STREAM_DURATION (Spark's
# default, 2m), and a client must reattach to an operation still running:
# the tests set it to a few seconds, so that every long operation does.
#
# Usage: bash scripts/spark.sh start|stop [DIR] [PORT]
set -euo pipefail
action=${1:-start}
dir=${2:-/tmp/boardroom-spark}
port=${3:-15002}
venv=${SPARK_VENV:-target/spark-venv}
# Executors, one core and 1 GB each (the scaling note measures 1 and 2).
executors=${SPARK_EXECUTORS:-2}

case "$action" in
  start)
    if [ ! -x "$venv/bin/python" ]; then
      python3 -m venv "$venv"
    fi
    venv=$(cd "$venv" && pwd)
    if ! "$venv/bin/python" -c 'import pyspark, pyarrow' 2> /dev/null; then
      "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyspark==4.2.1' 'pyarrow==26.0.1'
    fi
    # boardroom's reader, which the executors run when the Spark engine
    # reads BODS on the cluster: the wheel in SPARK_WHEEL (CI builds it
    # with maturin), else the package built from this checkout (minutes,
    # the first time).
    if [ -n "${SPARK_WHEEL:-}" ]; then
      "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$SPARK_WHEEL"
    elif ! "$venv/bin/python" -c 'import boardroom._spark' 2> /dev/null; then
      "$venv/bin/pip" install --quiet --disable-pip-version-check "$(dirname "$0")/../crates/boardroom-py"
    fi
    home=$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
    rm -rf "$dir"
    mkdir -p "$dir"
    # Its own process group, so that `stop` ends the master and the
    # executors with it.
    (
      cd "$dir"
      PYSPARK_PYTHON="$venv/bin/python" SPARK_HOME="$home" SPARK_LOCAL_IP=127.0.0.1 \
        setsid "$home/bin/spark-submit" \
        --class org.apache.spark.sql.connect.service.SparkConnectServer \
        --master "local-cluster[$executors,1,1024]" \
        --conf spark.connect.grpc.binding.address=127.0.0.1 \
        --conf spark.connect.grpc.binding.port="$port" \
        --conf spark.ui.enabled=false \
        --conf spark.connect.copyFromLocalToFs.allowDestLocal=true \
        --conf spark.connect.execute.reattachable.senderMaxStreamDuration="${SPARK_STREAM_DURATION:-2m}" \
        spark-internal > "$dir/server.log" 2>&1 < /dev/null &
      echo $! > "$dir/pid"
    )
    for _ in $(seq 1 180); do
      if (echo > "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
        # Listening is not serving: wait for the executors to register.
        if [ "$(grep -c 'Registered executor' "$dir/server.log" || true)" -ge "$executors" ]; then
          echo "sc://127.0.0.1:$port"
          exit 0
        fi
      fi
      if ! kill -0 "$(cat "$dir/pid")" 2> /dev/null; then
        echo "error: the Spark Connect server stopped; its log:" >&2
        tail -n 40 "$dir/server.log" >&2
        exit 1
      fi
      sleep 1
    done
    echo "error: the Spark Connect server did not start within 180 s; its log: $dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/pid" ]; then
      pid=$(cat "$dir/pid")
      kill -- "-$pid" 2> /dev/null || true
      for _ in $(seq 1 30); do
        kill -0 -- "-$pid" 2> /dev/null || break
        sleep 1
      done
      kill -9 -- "-$pid" 2> /dev/null || true
      rm -f "$dir/pid"
    fi
    ;;
  *)
    echo "usage: bash scripts/spark.sh start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
