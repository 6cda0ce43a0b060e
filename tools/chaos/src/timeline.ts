/** A small self-contained HTML page with an inline SVG timeline: throughput, lag and backlog, faults. */

export interface TimelineSample {
  /** Seconds since the load started. */
  readonly t: number;
  /** 201s answered in this second. */
  readonly created: number;
  /** Responses that were retried (429, 503, 5xx, network errors) in this second. */
  readonly retried: number;
  /** Summed consumer lag; null while the broker does not answer. */
  readonly lag: number | null;
  /** Lag per consumer group, for the JSON report. */
  readonly lagByGroup?: Record<string, number> | null;
  /** Outbox rows not yet published; null while PostgreSQL does not answer. */
  readonly outbox: number | null;
}

export interface TimelineFault {
  readonly label: string;
  readonly from: number;
  readonly to: number;
  readonly ok: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(
  title: string,
  samples: readonly TimelineSample[],
  series: { name: string; colour: string; value: (s: TimelineSample) => number | null }[],
  faults: readonly TimelineFault[],
  width: number,
  tMax: number,
): string {
  const height = 180;
  const left = 60;
  const top = 24;
  const plotW = width - left - 20;
  const plotH = height - top - 30;
  const max = Math.max(1, ...samples.flatMap((s) => series.map((x) => x.value(s) ?? 0)));
  const x = (t: number) => left + (t / Math.max(1, tMax)) * plotW;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const bands = faults
    .map((f) => `<rect x="${x(f.from).toFixed(1)}" y="${top}" width="${Math.max(2, x(f.to) - x(f.from)).toFixed(1)}" height="${plotH}" fill="${f.ok ? '#f4a261' : '#e63946'}" opacity="0.25"><title>${esc(f.label)}</title></rect>`)
    .join('');
  const lines = series
    .map((s) => {
      const points: string[] = [];
      const paths: string[] = [];
      for (const sample of samples) {
        const v = s.value(sample);
        if (v === null) {
          if (points.length) paths.push(points.splice(0).join(' '));
          continue;
        }
        points.push(`${x(sample.t).toFixed(1)},${y(v).toFixed(1)}`);
      }
      if (points.length) paths.push(points.join(' '));
      return paths.map((p) => `<polyline fill="none" stroke="${s.colour}" stroke-width="1.5" points="${p}"/>`).join('');
    })
    .join('');
  const legend = series.map((s, i) => `<text x="${left + 10 + i * 150}" y="16" fill="${s.colour}" font-size="12">■ ${esc(s.name)}</text>`).join('');
  const ticks = Array.from({ length: 11 }, (_, i) => (tMax * i) / 10)
    .map((t) => `<text x="${x(t).toFixed(1)}" y="${height - 10}" font-size="10" text-anchor="middle">${Math.round(t)}s</text>`)
    .join('');
  return `<h3>${esc(title)}</h3><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="#ccc"/>${bands}${lines}${legend}${ticks}
<text x="${left - 6}" y="${top + 8}" font-size="10" text-anchor="end">${Math.round(max)}</text><text x="${left - 6}" y="${top + plotH}" font-size="10" text-anchor="end">0</text></svg>`;
}

export function timelineHtml(title: string, samples: readonly TimelineSample[], faults: readonly TimelineFault[], summaryRows: [string, string, string][]): string {
  const width = 1100;
  const tMax = Math.max(1, ...samples.map((s) => s.t), ...faults.map((f) => f.to));
  const faultList = faults.map((f) => `<li>${f.from.toFixed(1)}–${f.to.toFixed(1)} s: ${esc(f.label)}${f.ok ? '' : ' <b>(did not recover)</b>'}</li>`).join('');
  const rows = summaryRows.map(([a, b, c]) => `<tr><td>${esc(a)}</td><td>${esc(b)}</td><td class="${c === 'PASS' ? 'pass' : 'fail'}">${esc(c)}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;margin:2em}td{padding:2px 10px;border-bottom:1px solid #eee}.pass{color:#2a9d8f}.fail{color:#e63946;font-weight:bold}</style></head><body>
<h1>${esc(title)}</h1>
<table>${rows}</table>
${panel('Signups per second (201) and retried responses per second', samples, [
    { name: '201 per second', colour: '#2a9d8f', value: (s) => s.created },
    { name: 'retried per second', colour: '#e76f51', value: (s) => s.retried },
  ], faults, width, tMax)}
${panel('Consumer lag and outbox backlog (gaps: broker or PostgreSQL down)', samples, [
    { name: 'consumer lag', colour: '#264653', value: (s) => s.lag },
    { name: 'outbox backlog', colour: '#9b5de5', value: (s) => s.outbox },
  ], faults, width, tMax)}
<h3>Faults (shaded above)</h3><ul>${faultList}</ul></body></html>`;
}
