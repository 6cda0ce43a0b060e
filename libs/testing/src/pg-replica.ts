import { ScratchServer, asPostgres, freshCluster, queryOnce, startScratchServer } from './pg-scratch-server';
import { waitFor } from './wait-for';

/** A hot standby streaming from a primary; reads work, writes fail as on any replica. */
export interface StreamingReplica extends ScratchServer {
  /**
   * Resolves once the replica has replayed the primary's WAL up to `lsn`, by default the
   * primary's current position: whatever was committed before the call is then visible here.
   */
  waitForReplay(lsn?: string): Promise<void>;
  /** Holds replay: the replica keeps answering, from a snapshot that falls behind the primary. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
}

/** A private primary and a streaming replica of it; stop() stops both and removes their files. */
export interface ReplicatedPostgres {
  readonly primary: ScratchServer;
  readonly replica: StreamingReplica;
  stop(): Promise<void>;
}

/**
 * Starts a primary of its own and a streaming replica of it. The primary is private because a
 * replica needs a `replication` line in the primary's pg_hba.conf and the machine's server has
 * none (its `all` entries do not cover replication); a test must not edit the system's config.
 * Databases created on the primary afterwards appear on the replica too (CREATE DATABASE is
 * WAL-logged), so one pair can serve a whole test file.
 */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const primary = await startScratchServer(freshCluster);
  try {
    const replica = await startStreamingReplica({ primaryUrl: primary.url });
    return {
      primary,
      replica,
      async stop() {
        try {
          await replica.stop();
        } finally {
          await primary.stop();
        }
      },
    };
  } catch (error) {
    await primary.stop();
    throw error;
  }
}

/**
 * A replica of `primaryUrl` made with pg_basebackup -R, started on a free port, and checked to
 * be in recovery and streaming before it is returned. The primary must accept replication
 * connections from 127.0.0.1 for the user in the URL.
 */
export async function startStreamingReplica(options: { primaryUrl: string }): Promise<StreamingReplica> {
  const { primaryUrl } = options;
  const server = await startScratchServer(
    // -c fast: an idle primary would otherwise take a spread checkpoint of minutes first.
    (dataDir, home) => asPostgres('pg_basebackup', ['-d', primaryUrl, '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'], home),
    { hot_standby: 'on' },
  );
  const replica: StreamingReplica = {
    ...server,
    async waitForReplay(lsn?: string) {
      const target = lsn ?? (await queryOnce<{ lsn: string }>(primaryUrl, `SELECT pg_current_wal_lsn()::text AS lsn`))[0].lsn;
      await waitFor(
        async () => (await queryOnce<{ done: boolean }>(server.url, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done`, [target]))[0].done,
        { what: `replica on port ${server.port} to replay up to ${target}` },
      );
    },
    async pauseReplay() {
      // Once requested, no further WAL record is applied, even before the state reads 'paused'.
      await queryOnce(server.url, `SELECT pg_wal_replay_pause()`);
    },
    async resumeReplay() {
      await queryOnce(server.url, `SELECT pg_wal_replay_resume()`);
    },
  };
  try {
    await waitFor(
      async () => {
        const [row] = await queryOnce<{ recovering: boolean; status: string | null }>(
          server.url,
          `SELECT pg_is_in_recovery() AS recovering, (SELECT status FROM pg_stat_wal_receiver) AS status`,
        );
        return row.recovering && row.status === 'streaming';
      },
      { what: `replica on port ${server.port} to stream from the primary`, timeoutMs: 30_000 },
    );
  } catch (error) {
    const log = await server.logTail();
    await server.stop();
    throw new Error(`${(error as Error).message}${log ? `\nreplica log:\n${log}` : ''}`);
  }
  return replica;
}
