import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack';

// Stops what `npm run up` started: SIGTERM first so consumers drain, SIGKILL for stragglers.
const PIDS = join(ROOT, '.local', 'dev', 'pids');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!existsSync(PIDS)) return;
  const procs = readdirSync(PIDS).map((file) => ({ name: file.replace(/\.pid$/, ''), pid: Number(readFileSync(join(PIDS, file), 'utf8')), file }));
  for (const p of procs) if (alive(p.pid)) process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + 35_000;
  while (procs.some((p) => alive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const p of procs) {
    if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
    rmSync(join(PIDS, p.file), { force: true });
    console.log(`down: stopped ${p.name}`);
  }
}

void main();
