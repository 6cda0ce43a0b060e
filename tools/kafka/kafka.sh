#!/usr/bin/env bash
# A single-node KRaft broker (combined broker + controller) from Apache Kafka's own jars.
#   kafka.sh fetch    copy the jars pinned in pom.xml into tools/kafka/lib (Maven Central)
#   kafka.sh start    fetch if needed, format storage once, start, wait until it answers; a no-op if running
#   kafka.sh stop     stop it (SIGTERM, then SIGKILL after 20 s)
#   kafka.sh status   exit 0 when it answers
#   kafka.sh env      print the client environment of a secure broker (KAFKA_SECURITY=sasl_ssl)
# KAFKA_PORT (default 9092; the controller listens on KAFKA_PORT+1) and KAFKA_DATA_DIR
# (default .local/kafka-$KAFKA_PORT) let tests run a broker of their own beside the dev one.
# KAFKA_SECURITY=sasl_ssl (default plaintext) makes the client listener SASL_SSL with SCRAM-SHA-512:
# a CA and a broker certificate (SAN 127.0.0.1, localhost) are made with openssl in the data dir,
# the SCRAM users `admin` (inter-broker) and `platform` (the apps, the ops CLI) are written at
# format time, and the environment a client needs is written to $KAFKA_DATA_DIR/client.env.
# The controller listener stays PLAINTEXT on 127.0.0.1. The mode is fixed when storage is
# formatted; switching modes needs a fresh KAFKA_DATA_DIR. See docs/secure-kafka.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=$((port + 1))
data=${KAFKA_DATA_DIR:-$root/.local/kafka-$port}
lib="$here/lib"
pidfile="$data/kafka.pid"
security=$(echo "${KAFKA_SECURITY:-plaintext}" | tr '[:upper:]' '[:lower:]')
case "$security" in plaintext | sasl_ssl) ;; *) echo "kafka.sh: KAFKA_SECURITY must be plaintext or sasl_ssl, got $security" >&2; exit 1 ;; esac
tls="$data/tls"
secrets="$data/secrets"
client_user=platform

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

# A password made once per data dir and kept there (mode 600), so restarts reuse it.
secret() {
  local file="$secrets/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$secrets" && chmod 700 "$secrets"
    (umask 077 && openssl rand -hex 24 > "$file")
  fi
  cat "$file"
}

# A CA of this data dir and a broker certificate it signs, for 127.0.0.1 and localhost; made once.
make_certificates() {
  command -v openssl >/dev/null || die "openssl not found: the secure broker makes its certificates with it"
  [ -s "$tls/broker.p12" ] && [ -s "$tls/ca.crt" ] && return 0
  mkdir -p "$tls"
  local store_password; store_password=$(secret keystore)
  # `&&` throughout: set -e does not apply inside a subshell whose status is tested.
  (
    umask 077 && cd "$tls" &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 -subj "/CN=local-kafka-ca-$port" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout ca.key -out ca.crt 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr 2>/dev/null &&
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
      'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth,clientAuth' > broker.ext &&
    openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -sha256 \
      -extfile broker.ext -out broker.crt 2>/dev/null &&
    openssl pkcs12 -export -name broker -inkey broker.key -in broker.crt -certfile ca.crt \
      -passout "pass:$store_password" -out broker.p12 &&
    rm -f broker.csr broker.ext ca.srl &&
    chmod 644 ca.crt
  ) || die "could not make the broker certificates in $tls"
}

client_env() {
  cat <<ENV
KAFKA_BROKERS=127.0.0.1:$port
KAFKA_SSL=true
KAFKA_SSL_CA_FILE=$tls/ca.crt
KAFKA_SASL_MECHANISM=scram-sha-512
KAFKA_SASL_USERNAME=$client_user
KAFKA_SASL_PASSWORD=$(secret "$client_user")
ENV
}

listener_config() {
  if [ "$security" = plaintext ]; then
    cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
PROPS
    return 0
  fi
  cat <<PROPS
# Clients and the broker itself speak SCRAM-SHA-512 over TLS; the controller stays on loopback.
listeners=SASL_SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(secret admin)";
ssl.keystore.type=PKCS12
ssl.keystore.location=$tls/broker.p12
ssl.keystore.password=$(secret keystore)
ssl.truststore.type=PEM
ssl.truststore.location=$tls/ca.crt
ssl.client.auth=none
ssl.endpoint.identification.algorithm=https
PROPS
}

write_config() {
  mkdir -p "$data"
  if [ "$security" = sasl_ssl ]; then make_certificates; fi
  (umask 077 && cat > "$data/server.properties") <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
$(listener_config)
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
  if [ -f "$data/logs/meta.properties" ]; then
    local formatted; formatted=$(cat "$data/security" 2>/dev/null || echo plaintext)
    [ "$formatted" = "$security" ] \
      || die "$data was formatted for $formatted, not $security: remove it or choose another KAFKA_DATA_DIR"
    return 0
  fi
  local cluster_id scram=()
  cluster_id=$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null)
  if [ "$security" = sasl_ssl ]; then
    # SCRAM users live in the metadata log; KRaft takes the first ones at format time.
    scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(secret admin)]"
      --add-scram "SCRAM-SHA-512=[name=$client_user,password=$(secret "$client_user")]")
  fi
  java -cp "$lib/*" -Dlog4j.configuration="file:$data/log4j.properties" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$data/server.properties" "${scram[@]}" >/dev/null
  echo "$security" > "$data/security"
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
    if [ "$security" = sasl_ssl ]; then
      WAIT_FOR_BROKER_CA_FILE="$tls/ca.crt" WAIT_FOR_BROKER_USERNAME="$client_user" \
        WAIT_FOR_BROKER_PASSWORD="$(secret "$client_user")" node "$here/wait-for-broker.js" "127.0.0.1:$port" 60000
    else
      node "$here/wait-for-broker.js" "127.0.0.1:$port" 60000
    fi
  fi
}

start() {
  need_tools
  if pid=$(running_pid) && answers; then echo "kafka.sh: broker already running on 127.0.0.1:$port (pid $pid)"; print_client_env; return 0; fi
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
  print_client_env
}

# The secure broker's client environment, in $data/client.env (mode 600) and on stdout.
print_client_env() {
  [ "$security" = sasl_ssl ] || return 0
  (umask 077 && client_env > "$data/client.env")
  echo "kafka.sh: SASL_SSL (SCRAM-SHA-512) only; clients need this (also in $data/client.env):"
  sed 's/^/  /' "$data/client.env"
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
  env)
    [ "$security" = sasl_ssl ] || die "env is for the secure broker: KAFKA_SECURITY=sasl_ssl kafka.sh env"
    [ -s "$tls/ca.crt" ] || die "no secure broker in $data yet: KAFKA_SECURITY=sasl_ssl kafka.sh start"
    client_env ;;
  *) die "usage: [KAFKA_SECURITY=sasl_ssl] kafka.sh fetch|start|stop|status|env" ;;
esac
