// Waits until a broker answers a metadata request, not merely until its port is open.
// Plain JS so it runs before anything is compiled: node wait-for-broker.js host:port [timeoutMs]
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const [broker, timeoutArg] = process.argv.slice(2);
  const deadline = Date.now() + Number(timeoutArg ?? 60000);
  const admin = new Kafka({ clientId: 'wait-for-broker', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
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
