import { EnvReader } from './env-reader';

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
}

export function readHttpConfig(reader: EnvReader, defaultPort: number): HttpConfig {
  return {
    host: reader.string('HOST', '127.0.0.1'),
    port: reader.int('PORT', defaultPort, { min: 0, max: 65535 }),
  };
}

/** Where a consumer serves its liveness and readiness probes (it has no other HTTP). */
export function readHealthConfig(reader: EnvReader, defaultPort: number): HttpConfig {
  return {
    host: reader.string('HEALTH_HOST', '127.0.0.1'),
    port: reader.int('HEALTH_PORT', defaultPort, { min: 0, max: 65535 }),
  };
}
