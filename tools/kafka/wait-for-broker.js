// Waits until a broker answers a metadata request, not merely until its port is open.
// Plain JS so it runs before anything is compiled: node wait-for-broker.js host:port [timeoutMs]
// A secure broker (kafka.sh with KAFKA_SECURITY=sasl_ssl) is asked over SASL_SSL with SCRAM-SHA-512
// when WAIT_FOR_BROKER_CA_FILE, WAIT_FOR_BROKER_USERNAME and WAIT_FOR_BROKER_PASSWORD are set.
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');

function security() {
  const { WAIT_FOR_BROKER_CA_FILE: caFile, WAIT_FOR_BROKER_USERNAME: username, WAIT_FOR_BROKER_PASSWORD: password } = process.env;
  if (!caFile) return {};
  return {
    ssl: { ca: [readFileSync(caFile, 'utf8')] },
    ...(username ? { sasl: { mechanism: 'scram-sha-512', username, password: password ?? '' } } : {}),
  };
}

async function main() {
  const [broker, timeoutArg] = process.argv.slice(2);
  const deadline = Date.now() + Number(timeoutArg ?? 60000);
  const admin = new Kafka({ clientId: 'wait-for-broker', brokers: [broker], ...security(), logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  for (;;) {
    try {
      await admin.connect();
      await admin.describeCluster();
      await admin.disconnect();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`broker ${broker} did not answer: ${error.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

main().catch((error) => {
  console.error(`wait-for-broker: ${error.message}`);
  process.exit(1);
});
