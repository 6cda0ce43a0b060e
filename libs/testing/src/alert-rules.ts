import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One alerting rule of a Prometheus rule file, as the checks read it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The alerting rules of a Prometheus rule file (`groups[].rules[]` with an `alert`). */
export function readAlertRules(file: string): AlertRule[] {
  const document = parse(readFileSync(file, 'utf8')) as { groups?: { rules?: Partial<AlertRule>[] }[] };
  return (document.groups ?? [])
    .flatMap((group) => group.rules ?? [])
    .filter((rule): rule is Partial<AlertRule> & { alert: string; expr: string } => typeof rule.alert === 'string' && typeof rule.expr === 'string')
    .map((rule) => ({ alert: rule.alert, expr: String(rule.expr), for: rule.for, labels: rule.labels ?? {}, annotations: rule.annotations ?? {} }));
}

// Words of PromQL that are neither metric names nor followed by "(": binary operators and modifiers.
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

/**
 * The metric names an expression reads, so a check can ask whether anything serves them (an
 * alert over a series nobody exports never fires). Enough PromQL for rule files: it drops
 * strings, label matchers, ranges, offsets and label lists, then keeps the identifiers that are not a
 * function or aggregation (followed by "(") or an operator keyword.
 */
export function seriesReadBy(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/g, ' ');
  // Not right after a digit or a dot: the unit of a number or duration (5m, 1e3) is no name.
  const names = [...stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((match) => !/^\s*\(/.test(stripped.slice((match.index ?? 0) + match[0].length)))
    .map((match) => match[0])
    .filter((word) => !KEYWORDS.has(word.toLowerCase()));
  return [...new Set(names)];
}
