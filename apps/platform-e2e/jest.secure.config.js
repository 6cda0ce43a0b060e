// The platform over SASL_SSL: the same global setup as jest.config.js, on a broker of its own that
// speaks only SCRAM-SHA-512 over TLS (tools/kafka/kafka.sh, KAFKA_SECURITY=sasl_ssl, port
// TEST_SECURE_KAFKA_PORT, default 18092). Its spec is named *.e2e-secure-spec.ts so the normal run skips it.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'platform-e2e-secure',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-secure-spec.ts'],
  globalSetup: '<rootDir>/src/support/secure-global-setup.ts',
  globalTeardown: '<rootDir>/src/support/secure-global-teardown.ts',
  testTimeout: 60000,
};
