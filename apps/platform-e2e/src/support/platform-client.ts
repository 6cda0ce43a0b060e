import type { E2eStack } from './stack-file';

export interface AccountBody {
  id: string;
  email: string;
  status: string;
  version: number;
  abuseVerdict: string | null;
  provisioningStatus: string | null;
  workspaceSchema: string | null;
}

export interface Mail {
  envelopeTo: string[];
  subject: string | null;
  messageId: string | null;
  text: string | null;
}

/** The platform as a client sees it, plus the mail sink's controls; one place for URLs and auth. */
export function platformClient(stack: E2eStack) {
  const auth = { authorization: `Bearer ${stack.apiKey}` };
  const sink = async (path: string, method: string) => {
    const response = await fetch(`${stack.mailSinkUrl}${path}`, { method });
    if (!response.ok) throw new Error(`mail sink ${method} ${path} answered ${response.status}`);
  };
  return {
    /** `headers` adds to the request's, e.g. a traceparent to make the signup part of a known trace. */
    async signup(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<AccountBody> {
      const response = await fetch(`${stack.accountsUrl}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`signup answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as AccountBody;
    },
    async account(id: string): Promise<AccountBody> {
      const response = await fetch(`${stack.accountsUrl}/v1/accounts/${id}`, { headers: auth });
      if (!response.ok) throw new Error(`GET account ${id} answered ${response.status}`);
      return (await response.json()) as AccountBody;
    },
    async mailsTo(email: string): Promise<Mail[]> {
      return (await (await fetch(`${stack.mailApiUrl}?to=${encodeURIComponent(email)}`)).json()) as Mail[];
    },
    /** SMTP refuses connections and drops open ones; mail received so far is kept. */
    stopSmtp: () => sink('/api/smtp/stop', 'POST'),
    startSmtp: () => sink('/api/smtp/start', 'POST'),
  };
}

export type PlatformClient = ReturnType<typeof platformClient>;

/** A unique address at a domain of the test's choosing. */
export function uniqueEmail(local: string, domain = 'example.com'): string {
  return `${local}.${Math.random().toString(36).slice(2, 10)}@${domain}`;
}
