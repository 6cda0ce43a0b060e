#!/usr/bin/env bash
# A single-node KRaft broker (combined broker + controller) from Apache Kafka's own jars.
#   kafka.sh fetch    copy the jars pinned in pom.xml into tools/kafka/lib (Maven Central)
#   kafka.sh start    fetch if needed, format storage once, start, wait until it answers; a no-op if running
#   kafka.sh stop     stop it (SIGTERM, then SIGKILL after 20 s)
#   kafka.sh status   exit 0 when it answers
# KAFKA_PORT (default 9092; the controller listens on KAFKA_PORT+1) and KAFKA_DATA_DIR
# (default .local/kafka-$KAFKA_PORT) let tests run a broker of their own beside the dev one.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=$((port + 1))
data=${KAFKA_DATA_DIR:-$root/.local/kafka-$port}
lib="$here/lib"
pidfile="$data/kafka.pid"

die() { echo "kafka.sh: $*" >&2; exit 1; }

need_tools() {
  command -v java >/dev/null || die "java not found: install a JDK 17 or newer"
  local major
  major=$(java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]}')
  [ "${major:-0}" -ge 17 ] || die "java $major found; Kafka here needs JDK 17 or newer"
}

fetch() {
  if [ -f "$lib/.complete" ] && [ "$lib/.complete" -nt "$here/pom.xml" ]; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found: install Apache Maven (it fetches the Kafka jars)"
  echo "kafka.sh: fetching Kafka jars with Maven (once)..." >&2
  rm -rf "$lib"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" -DincludeScope=runtime >&2 \
    || die "Maven could not fetch the Kafka jars (see output above)"
  touch "$lib/.complete"
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

write_config() {
  mkdir -p "$data"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data/logs
# Topics come from the contracts lib (topics apply), never from a typo in a producer.
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.check.interval.ms=60000
PROPS
  cat > "$data/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
}

format_once() {
  [ -f "$data/logs/meta.properties" ] && return 0
  local cluster_id
  cluster_id=$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null)
  java -cp "$lib/*" -Dlog4j.configuration="file:$data/log4j.properties" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$data/server.properties" >/dev/null
}

wait_until_answers() {
  local pid=$1 deadline=$((SECONDS + 60))
  until answers; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$data/kafka.out" >&2; die "broker exited during start-up (log: $data/kafka.out)"; }
    [ $SECONDS -lt $deadline ] || die "broker did not answer on 127.0.0.1:$port within 60 s (log: $data/kafka.out)"
    sleep 0.2
  done
  # The port opens a moment before the broker serves metadata; ask it a real question when we can.
  if [ -f "$root/node_modules/kafkajs/package.json" ]; then
    node "$here/wait-for-broker.js" "127.0.0.1:$port" 60000
  fi
}

start() {
  need_tools
  if pid=$(running_pid) && answers; then echo "kafka.sh: broker already running on 127.0.0.1:$port (pid $pid)"; return 0; fi
  answers && die "port $port is taken by something that is not our broker"
  fetch
  write_config
  format_once
  nohup java -Xms512m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$data/log4j.properties" -cp "$lib/*" kafka.Kafka "$data/server.properties" \
    > "$data/kafka.out" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$pidfile"
  wait_until_answers "$pid"
  echo "kafka.sh: broker ready on 127.0.0.1:$port (pid $pid, data $data)"
}

stop() {
  local pid
  if ! pid=$(running_pid); then echo "kafka.sh: no broker running on port $port"; rm -f "$pidfile"; return 0; fi
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
  echo "kafka.sh: broker on port $port stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) answers && running_pid >/dev/null ;;
  *) die "usage: kafka.sh fetch|start|stop|status" ;;
esac
