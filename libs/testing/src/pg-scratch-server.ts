import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { freePort } from './free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const execFileAsync = promisify(execFile);

/**
 * A PostgreSQL server a test started for itself: its own data directory, port and socket
 * directory under one temporary directory, which stop() removes with everything in it. The
 * directory name starts with `pg-scratch-` so one left by a killed run is easy to find.
 */
export interface ScratchServer {
  readonly port: number;
  /** The server's `postgres` database, as the superuser `postgres` (trust auth, loopback only). */
  readonly url: string;
  readonly dataDir: string;
  urlFor(database: string): string;
  /** The end of the server's log, for failure messages. */
  logTail(): Promise<string>;
  /** Stops the server at once (no checkpoint: nothing here is kept) and removes its directory. */
  stop(): Promise<void>;
}

/** What a scratch server is made from: a fresh initdb, or a copy made by the caller into `dataDir`. */
export type ScratchInit = (dataDir: string, home: string) => Promise<void>;

/**
 * Creates the directory, fills the data directory with `init`, sets the server up on a free
 * port and starts it. On any failure the server is stopped and the directory removed before
 * the error (with the server log, if there is one) is thrown.
 */
export async function startScratchServer(init: ScratchInit, settings: Record<string, string> = {}): Promise<ScratchServer> {
  const home = await mkdtemp(join(tmpdir(), 'pg-scratch-'));
  const dataDir = join(home, 'data');
  const logFile = join(home, 'server.log');
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const server: ScratchServer = {
    port,
    url,
    dataDir,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    logTail: async () => tail(await readFile(logFile, 'utf8').catch(() => '')),
    stop: async () => {
      if (existsSync(join(dataDir, 'postmaster.pid'))) {
        await asPostgres('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w'], home).catch(() => undefined);
      }
      await rm(home, { recursive: true, force: true });
    },
  };
  try {
    await giveToPostgres(home);
    await init(dataDir, home);
    // postgresql.auto.conf is read last, so these win over whatever a copied cluster brought along.
    const conf = {
      port: String(port),
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${home}'`,
      // A throwaway cluster: durability only costs time here.
      fsync: 'off',
      ...settings,
    };
    await appendFile(join(dataDir, 'postgresql.auto.conf'), Object.entries(conf).map(([k, v]) => `${k} = ${v}\n`).join(''));
    await asPostgres('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'], home);
    return server;
  } catch (error) {
    const log = await server.logTail();
    await server.stop();
    throw new Error(`scratch PostgreSQL on port ${port} did not start: ${(error as Error).message}${log ? `\nserver log:\n${log}` : ''}`);
  }
}

/** A new, empty cluster whose pg_hba trusts local and loopback connections, replication included. */
export const freshCluster: ScratchInit = async (dataDir, home) => {
  await asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions'], home);
};

/**
 * Runs a PostgreSQL program as the `postgres` OS user: the server refuses to run as root, and
 * its files must belong to the user it runs as. Not root: run as whoever we are.
 */
export async function asPostgres(program: string, args: readonly string[], cwd: string): Promise<void> {
  const binary = postgresBinary(program);
  const [command, commandArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
  try {
    await execFileAsync(command, commandArgs, { cwd, timeout: 120_000 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${stderr?.trim() || (error as Error).message}`);
  }
}

/** One query on a fresh connection; for setup and checks, not for load. */
export async function queryOnce<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * PG_BIN_DIR when set, else the newest server installed the Debian way (its binaries are not
 * on PATH there), else PATH.
 */
function postgresBinary(program: string): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return join(fromEnv, program);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, program)));
  return dir ? join(dir, program) : program;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function giveToPostgres(dir: string): Promise<void> {
  if (!isRoot()) return;
  const id = async (flag: string) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim());
  await chown(dir, await id('-u'), await id('-g'));
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
