import { EventEnvelope, EventType } from '@platform/contracts';
import type { WelcomeMailSettings } from '../config';
import { classifySmtpError } from './smtp-error-classifier';
import type { MailTransport, OutgoingMail } from './smtp-transport';
import { SupportedLocale } from './locale';
import { renderWelcome } from './welcome-templates';

export interface SentWelcome {
  readonly messageId: string;
  readonly locale: SupportedLocale;
  readonly to: string;
}

/**
 * Sends the welcome mail for one account.created.v1. The Message-ID is derived from the event id:
 * the runtime's inbox makes a second send rare (only a crash between the SMTP accept and the
 * inbox commit causes one), and when it happens the duplicate carries the same Message-ID, which
 * mail stores and clients use to fold it into the first.
 */
export class WelcomeMailHandler {
  constructor(
    private readonly transport: MailTransport,
    private readonly settings: WelcomeMailSettings,
  ) {}

  async handle(event: EventEnvelope<typeof EventType.AccountCreated>): Promise<SentWelcome> {
    const { email, displayName, locale } = event.data;
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
    try {
      await this.transport.sendMail(mail);
    } catch (error) {
      throw classifySmtpError(error);
    }
    return { messageId, locale: rendered.locale, to: email };
  }
}

export function welcomeMessageId(eventId: string, messageIdDomain: string): string {
  return `<${eventId}@${messageIdDomain}>`;
}
