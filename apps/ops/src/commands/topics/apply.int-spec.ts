import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { allTopics } from '@platform/contracts';
import { testBrokers, testKafka } from '@platform/testing';

const root = join(__dirname, '..', '..', '..', '..', '..');

function ops(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/ops/src/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), KAFKA_BROKERS: testBrokers().join(',') },
  });
}

describe('ops topics apply over the real broker', () => {
  it('refuses to change anything without --execute or --dry-run', () => {
    const run = ops('topics', 'apply');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--dry-run.*--execute/);
  });

  it('makes the cluster match the declarations, after which the plan is empty', async () => {
    expect(ops('topics', 'apply', '--execute').status).toBe(0);
    const admin = testKafka('ops-it').admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.disconnect();
    for (const topic of allTopics()) expect(existing).toContain(topic.name);

    const again = ops('--json', 'topics', 'apply', '--dry-run');
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ declared: allTopics().length, changes: [], applied: false });
  });
});
