import { EventEnvelope, EventType } from '@platform/contracts';
import type { MailBlockingStatus, AccountStatusLookup } from '../account-status/account-status-store';
import type { SmtpCircuitBreaker } from '../breaker/smtp-circuit-breaker';
import type { WelcomeMailSettings } from '../config';
import { classifySmtpError } from './smtp-error-classifier';
import type { MailTransport, OutgoingMail } from './smtp-transport';
import { SupportedLocale } from './locale';
import { renderWelcome } from './welcome-templates';

export type WelcomeOutcome =
  | { readonly kind: 'sent'; readonly messageId: string; readonly locale: SupportedLocale; readonly to: string }
  /** The account was suspended or closed before the mail went out; nothing is sent, ever. */
  | { readonly kind: 'withheld'; readonly status: MailBlockingStatus };

export interface WelcomeMailCollaborators {
  readonly breaker: Pick<SmtpCircuitBreaker, 'whenClosed' | 'recordReply' | 'recordFailure'>;
  readonly accounts: AccountStatusLookup;
}

/**
 * Sends the welcome mail for one account.created.v1. The Message-ID is derived from the event id:
 * the runtime's inbox makes a second send rare (only a crash between the SMTP accept and the
 * inbox commit causes one), and when it happens the duplicate carries the same Message-ID, which
 * mail stores and clients use to fold it into the first.
 *
 * Before every send, the first and any after waiting or a retry, it asks the account status
 * guard, so an account suspended or closed meanwhile is not mailed. While the SMTP server is down
 * the circuit breaker holds the send here instead of failing the attempt.
 */
export class WelcomeMailHandler {
  constructor(
    private readonly transport: MailTransport,
    private readonly settings: WelcomeMailSettings,
    private readonly collaborators: WelcomeMailCollaborators,
  ) {}

  async handle(event: EventEnvelope<typeof EventType.AccountCreated>): Promise<WelcomeOutcome> {
    const { accountId, email, displayName, locale } = event.data;
    const { breaker, accounts } = this.collaborators;
    const rendered = renderWelcome({
      locale,
      displayName,
      productName: this.settings.productName,
      appBaseUrl: this.settings.appBaseUrl,
    });
    const messageId = welcomeMessageId(event.id, this.settings.messageIdDomain);
    const mail: OutgoingMail = {
      from: this.settings.from,
      to: { name: displayName, address: email },
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId,
      // RFC 3834: tells auto-responders (vacation replies) not to answer an automatic mail.
      headers: { 'Auto-Submitted': 'auto-generated' },
    };
    for (;;) {
      await breaker.whenClosed();
      const blockedBy = await accounts.mailBlockedBy(accountId);
      if (blockedBy) return { kind: 'withheld', status: blockedBy };
      try {
        await this.transport.sendMail(mail);
        breaker.recordReply();
        return { kind: 'sent', messageId, locale: rendered.locale, to: email };
      } catch (error) {
        const failure = classifySmtpError(error);
        // The server is down and the circuit open: wait for it rather than spend an attempt.
        if (!breaker.recordFailure(failure)) throw failure;
      }
    }
  }
}

export function welcomeMessageId(eventId: string, messageIdDomain: string): string {
  return `<${eventId}@${messageIdDomain}>`;
}
