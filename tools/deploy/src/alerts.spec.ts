import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readAlertRules, seriesReadBy } from '@platform/testing';
import { ROOT } from './build-app';
import { ALERT_RULES_FILE, ALERT_TESTS_FILE, COMPOSE_ALERT_RULES_PATH, COMPOSE_PROMETHEUS_FILE } from './alert-rules';

/** promtool from Debian's prometheus package (scripts/ensure-deps.sh installs it). */
function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: join(ROOT, 'deploy/prometheus'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('promtool not found: install Debian\'s prometheus package (bash scripts/ensure-deps.sh does)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('alert rules (deploy/prometheus)', () => {
  const rules = readAlertRules(join(ROOT, ALERT_RULES_FILE));

  it('are valid Prometheus rules', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toContain('SUCCESS');
  });

  it('fire on what each is for and stay quiet otherwise (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });

  it('each have a test in which they fire', () => {
    const tests = parse(readFileSync(join(ROOT, ALERT_TESTS_FILE), 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const firing = new Set(tests.tests.flatMap((t) => t.alert_rule_test ?? []).filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname));
    expect(rules.map((rule) => rule.alert).filter((alert) => !firing.has(alert))).toEqual([]);
  });

  it('each say how bad it is, what happened, and which runbook section to follow', () => {
    const runbook = readFileSync(join(ROOT, 'docs/runbook.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
    for (const rule of rules) {
      expect([rule.alert, rule.labels.severity]).toEqual([rule.alert, expect.stringMatching(/^(critical|warning)$/)]);
      expect([rule.alert, Boolean(rule.annotations.summary && rule.annotations.description)]).toEqual([rule.alert, true]);
      const [file, anchor] = (rule.annotations.runbook ?? '').split('#');
      expect([rule.alert, file, anchors.has(anchor)]).toEqual([rule.alert, 'docs/runbook.md', true]);
    }
  });

  it('are loaded by the Prometheus of docker-compose.yml, whose configuration is valid', () => {
    expect(promtool('check', 'config', '--syntax-only', join(ROOT, COMPOSE_PROMETHEUS_FILE))).toContain('SUCCESS');
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command?: string[]; volumes?: string[] }> };
    const prometheus = compose.services.prometheus;
    expect(prometheus.volumes).toEqual(
      expect.arrayContaining([`./${COMPOSE_PROMETHEUS_FILE}:/etc/prometheus/prometheus.yml:ro`, `./${ALERT_RULES_FILE}:${COMPOSE_ALERT_RULES_PATH}:ro`]),
    );
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  it('read only series that docs/observability.md lists (the e2e suite checks that the apps serve them)', () => {
    const documented = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
    const names = rules.flatMap((rule) => seriesReadBy(rule.expr));
    for (const rule of rules) expect([rule.alert, seriesReadBy(rule.expr).length > 0]).toEqual([rule.alert, true]);
    // Histogram series are listed as `<name>_*`.
    const listed = (name: string) => documented.includes(`\`${name}\``) || documented.includes(`\`${name.replace(/_(bucket|count|sum)$/, '_*')}\``);
    expect(names.filter((name) => !listed(name))).toEqual([]);
  });
});
