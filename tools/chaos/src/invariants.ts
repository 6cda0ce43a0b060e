import { CONSUMERS, CloudEventHeader, EventType, Topic, derivedTopics } from '@platform/contracts';
import { ReadRecord, readTopic } from '@platform/testing';
import { APPS } from '@platform/dev-stack';
import type { Drive } from './drive';
import type { Platform } from './platform';
import type { Settle } from './settle';

export interface Check {
  readonly name: string;
  readonly count: string;
  readonly ok: boolean;
}

/**
 * The invariants the platform must hold after the load, the faults and the settle: each with
 * its verdict and the counts behind it, read from the databases, the topics and the SMTP sink.
 */
export async function verifyInvariants(
  { platform, drive: { outcomes, poison, faults }, settle, settleTimeoutSeconds, t0 }: { platform: Platform; drive: Drive; settle: Settle; settleTimeoutSeconds: number; t0: number },
): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, count: string, ok: boolean) => checks.push({ name, count, ok });
  const created = outcomes.filter((x) => x.status === 201);
  const notCreated = outcomes.filter((x) => x.status !== 201);
  check('every signup answered 201 (client retries, same key and body)', `${created.length}/${outcomes.length}${notCreated.length ? `; e.g. ${notCreated[0].status} ${notCreated[0].error ?? ''}` : ''}`, notCreated.length === 0);

  const accounts = await platform.query<{ id: string; email: string; status: string; abuse_verdict: string | null; provisioning_status: string | null; workspace_schema: string | null }>(
    'accounts',
    'SELECT id, email, status, abuse_verdict, provisioning_status, workspace_schema FROM accounts.accounts',
  );
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const missing = created.filter((x) => byId.get(x.accountId!)?.email !== x.email);
  const createdIds = new Set(created.map((x) => x.accountId!));
  const extra = accounts.filter((a) => !createdIds.has(a.id));
  check('every 201 has exactly one account (id and email), and no account without a 201', `${accounts.length} accounts for ${created.length} 201s; ${missing.length} missing, ${extra.length} extra`, missing.length === 0 && extra.length === 0 && createdIds.size === created.length);

  const lifecycle = await readTopic(platform.kafka, Topic.AccountLifecycle);
  const poisonKeys = new Set(poison.map((p) => p.key));
  const perKey = new Map<string, ReadRecord[]>();
  for (const r of lifecycle) {
    if (r.key === null || poisonKeys.has(r.key)) continue;
    perKey.set(r.key, [...(perKey.get(r.key) ?? []), r]);
  }
  let createdNotOne = 0;
  let outOfOrder = 0;
  let duplicatesDelivered = 0;
  for (const account of accounts) {
    const records = (perKey.get(account.id) ?? []).sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    const ids = new Set<string>();
    const firsts: ReadRecord[] = [];
    for (const r of records) {
      const id = r.headers[CloudEventHeader.Id];
      if (ids.has(id)) duplicatesDelivered++;
      else firsts.push(r);
      ids.add(id);
    }
    if (firsts.filter((r) => r.headers[CloudEventHeader.Type] === EventType.AccountCreated).length !== 1) createdNotOne++;
    const partitions = new Set(records.map((r) => r.partition));
    const timesInOrder = firsts.every((r, i) => i === 0 || r.headers[CloudEventHeader.Time] >= firsts[i - 1].headers[CloudEventHeader.Time]);
    if (partitions.size > 1 || firsts[0]?.headers[CloudEventHeader.Type] !== EventType.AccountCreated || !timesInOrder) outOfOrder++;
  }
  const strays = [...perKey.keys()].filter((k) => !byId.has(k));
  const poisonOnTopic = lifecycle.filter((r) => r.key !== null && poisonKeys.has(r.key)).map((r) => r.key!).sort();
  check('exactly one account.created event id on the topic per account', `${accounts.length - createdNotOne}/${accounts.length} (${lifecycle.length} records, ${duplicatesDelivered} redelivered copies of an id, ${strays.length} keys of no account)`, createdNotOne === 0 && strays.length === 0);
  check('no events out of order per account (one partition, created first, times ascending)', `${outOfOrder} accounts out of order`, outOfOrder === 0);

  const byStatus = (s: string) => accounts.filter((a) => a.status === s);
  const active = byStatus('active');
  const blocked = [...byStatus('suspended'), ...byStatus('closed')];
  check('every account settled (none still pending)', `active ${active.length}, suspended ${byStatus('suspended').length}, closed ${byStatus('closed').length}, pending ${byStatus('pending').length}`, byStatus('pending').length === 0);

  const mails = platform.sink.messages();
  const mailsTo = new Map<string, { count: number; ids: Set<string | null> }>();
  for (const m of mails) {
    for (const to of m.envelopeTo) {
      const entry = mailsTo.get(to.toLowerCase()) ?? { count: 0, ids: new Set() };
      entry.count++;
      entry.ids.add(m.messageId);
      mailsTo.set(to.toLowerCase(), entry);
    }
  }
  // The welcome mail follows account.created, so an account still pending (not provisioned yet,
  // or stuck) is mailed like an active one; only suspended and closed ones must not be.
  const mailable = accounts.filter((a) => a.status === 'active' || a.status === 'pending');
  const mailableEmails = new Set(mailable.map((a) => a.email.toLowerCase()));
  // Counted by Message-ID: a send repeated after the SMTP accept but before the inbox commit
  // (a crash, a PostgreSQL restart) carries the same Message-ID, which mail stores fold into the
  // first (docs/consumers.md). Such repeats are reported, not failed; two Message-IDs are a violation.
  const notOne = mailable.filter((a) => {
    const got = mailsTo.get(a.email.toLowerCase());
    return !got || got.ids.size !== 1 || got.ids.has(null);
  });
  const repeats = mailable.reduce((sum, a) => sum + Math.max(0, (mailsTo.get(a.email.toLowerCase())?.count ?? 0) - 1), 0);
  const mailedOthers = [...mailsTo.keys()].filter((to) => !mailableEmails.has(to));
  check(
    'exactly one welcome mail per active account (by recipient and Message-ID)',
    `${mailable.length - notOne.length}/${mailable.length} active${byStatus('pending').length ? ' or pending' : ''}; ${mails.length} mails in the sink, ${new Set(mails.map((m) => m.messageId)).size} Message-IDs (${repeats} repeated deliveries of a Message-ID)`,
    notOne.length === 0,
  );
  const blockedMailed = blocked.filter((a) => mailsTo.has(a.email.toLowerCase()));
  check('no welcome mail for suspended or closed accounts, nor to anyone else', `${blockedMailed.length} of ${blocked.length} suspended/closed mailed; ${mailedOthers.length - blockedMailed.length} other recipients`, mailedOthers.length === 0);

  const schemas = await platform.query<{ name: string; role: boolean }>(
    'tenants',
    `SELECT n.nspname AS name, EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = n.nspname) AS role FROM pg_catalog.pg_namespace n WHERE n.nspname LIKE 'tenant\\_%'`,
  );
  const schemaSet = new Map(schemas.map((s) => [s.name, s.role]));
  const provisioned = accounts.filter((a) => a.provisioning_status === 'provisioned');
  const withoutWorkspace = provisioned.filter((a) => !a.workspace_schema || schemaSet.get(a.workspace_schema) !== true);
  const orphanSchemas = schemas.filter((s) => !provisioned.some((a) => a.workspace_schema === s.name));
  check('exactly one workspace (schema and role) per provisioned account', `${provisioned.length - withoutWorkspace.length}/${provisioned.length} provisioned have theirs; ${provisioned.length}/${accounts.length - blocked.length} not suspended/closed provisioned; ${schemas.length} schemas, ${orphanSchemas.length} orphan`, withoutWorkspace.length === 0 && orphanSchemas.length === 0 && provisioned.length === accounts.length - blocked.length);

  const verdicts = await readTopic(platform.kafka, Topic.AbuseVerdicts);
  const verdictIds = new Map<string, Set<string>>();
  for (const r of verdicts) verdictIds.set(r.key ?? '', (verdictIds.get(r.key ?? '') ?? new Set()).add(r.headers[CloudEventHeader.Id]));
  const verdictNotOne = accounts.filter((a) => verdictIds.get(a.id)?.size !== 1 || a.abuse_verdict === null);
  const verdictCounts = accounts.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.abuse_verdict ?? 'none']: (acc[a.abuse_verdict ?? 'none'] ?? 0) + 1 }), {});
  check('one verdict per account (one verdict event id on the topic, applied to the account)', `${accounts.length - verdictNotOne.length}/${accounts.length}; ${JSON.stringify(verdictCounts)}`, verdictNotOne.length === 0);

  const dltReport: string[] = [];
  let dltOk = true;
  for (const consumer of CONSUMERS) {
    for (const dlt of derivedTopics(consumer).filter((t) => t.name.endsWith('.dlt'))) {
      const records = await readTopic(platform.kafka, dlt.name);
      // Every poison record on the source topic (a producer retry while the broker was down may
      // have written one twice) lands once in each lifecycle consumer's dead-letter topic.
      const expected = dlt.name.startsWith(`${Topic.AccountLifecycle}.`) ? poisonOnTopic : [];
      const keys = records.map((r) => r.key ?? '').sort();
      const ok = keys.length === expected.length && keys.every((k, i) => k === expected[i]);
      if (!ok) dltOk = false;
      const codes = records.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.headers['x-error-code'] ?? '?']: (acc[r.headers['x-error-code'] ?? '?'] ?? 0) + 1 }), {});
      dltReport.push(`${dlt.name}: ${records.length} (expected ${expected.length})${ok ? '' : ` ${JSON.stringify(codes)}`}`);
    }
  }
  check(
    'dead-letter topics hold the injected poison and nothing else',
    `${poisonOnTopic.length} poison records on the topic (${poison.length} injected); ${dltReport.join('; ')}`,
    dltOk && new Set(poisonOnTopic).size === poison.length,
  );
  check(
    `consumer lag back to 0 and outbox empty within ${settleTimeoutSeconds} s`,
    settle.settledAfterMs !== undefined ? `settled after ${(settle.settledAfterMs / 1000).toFixed(1)} s` : `not settled: ${settle.lastState}`,
    settle.settledAfterMs !== undefined,
  );
  const processFaults = faults.filter((f) => f.kind === 'kill' || f.kind === 'broker' || f.kind === 'postgres');
  check('every killed process came back and reported ready', processFaults.map((f) => `${f.target ?? f.kind}: ${f.ok ? f.detail : `FAILED ${f.detail}`}`).join('; '), processFaults.every((f) => f.ok));
  const exits = platform.unexpectedExits.map((e) => `${e.app} at ${((e.atMs - t0) / 1000).toFixed(1)} s (code ${e.code})`);
  check(
    'processes that exited on their own were restarted and became ready (as under a supervisor)',
    exits.length ? `${exits.length}: ${exits.join(', ')}; all ready at the end` : 'none exited on its own',
    await Promise.all(APPS.map((app) => platform.waitReady(app, 30_000))).then(() => true, () => false),
  );
  const otherFaults = faults.filter((f) => !processFaults.includes(f));
  check('every other fault was injected', otherFaults.map((f) => `${f.kind}: ${f.ok ? 'ok' : f.detail}`).join('; '), otherFaults.every((f) => f.ok));
  return checks;
}
