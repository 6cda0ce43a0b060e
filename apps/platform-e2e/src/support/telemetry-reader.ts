import type { PrometheusSample, ReceivedSpan } from '@platform/testing';
import { parsePrometheusText } from '@platform/testing';
import type { E2eStack } from './stack-file';

/** What the apps exported to the run's OTLP receiver, and what their metrics endpoints say now. */
export function telemetryReader(stack: E2eStack) {
  return {
    async spans(traceId: string): Promise<ReceivedSpan[]> {
      const response = await fetch(`${stack.otlpUrl}/api/spans?traceId=${traceId}`);
      return (await response.json()) as ReceivedSpan[];
    },
    async scrape(app: string): Promise<PrometheusSample[]> {
      const url = stack.metricsUrls[app];
      if (!url) throw new Error(`no metrics endpoint for ${app}: ${Object.keys(stack.metricsUrls).join(', ')}`);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return parsePrometheusText(await response.text());
    },
  };
}
