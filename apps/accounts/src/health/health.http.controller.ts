import { Controller, Get, Header, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HttpProblem } from '../problem-details/http-problems';
import { PublicRoute } from '../api-keys/access.decorator';

class NotReadyProblem extends HttpProblem {
  readonly status = 503;
}

const READINESS_TIMEOUT_MS = 2_000;

/**
 * Liveness says the process can answer; readiness says it can do its job. Only readiness
 * touches the database: a database outage should take the instance out of the load balancer,
 * not get it restarted, which would not help. Probes carry no API key: kubelets and load
 * balancers cannot hold one, and the answers reveal nothing.
 */
@PublicRoute()
@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger('Health');

  constructor(private readonly dataSource: DataSource) {}

  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready(): Promise<{ status: 'ok'; checks: { database: 'ok' } }> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), READINESS_TIMEOUT_MS);
    } catch (error) {
      // The cause goes to the log only; probes are public and need no more than "not ready".
      this.logger.warn(`not ready: database check failed: ${(error as Error).message}`);
      throw new NotReadyProblem({ code: 'NOT_READY', title: 'Service unavailable', detail: 'The database is not reachable.' });
    }
    return { status: 'ok', checks: { database: 'ok' } };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
