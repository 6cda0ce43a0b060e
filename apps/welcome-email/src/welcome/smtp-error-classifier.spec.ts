import { PermanentError, RetriableError, errorCode, isRetriable } from '@platform/contracts';
import { SmtpErrorCode, classifySmtpError, meansServerDown } from './smtp-error-classifier';

/** Builds errors shaped as nodemailer raises them: Error with code, response and responseCode. */
function smtpError(message: string, fields: { code?: string; responseCode?: number; response?: string }): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifySmtpError', () => {
  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNRESET'])(
    'treats connection failure %s as SMTP_UNAVAILABLE (retriable)',
    (code) => {
      const classified = classifySmtpError(smtpError(`connect ${code} 127.0.0.1:1025`, { code }));
      expect(classified).toBeInstanceOf(RetriableError);
      expect(classified.code).toBe(SmtpErrorCode.Unavailable);
    },
  );

  it.each([
    [450, '450 4.2.1 Mailbox busy'],
    [451, '451 4.7.1 Greylisted, please retry in 5 minutes'],
    [452, '452 4.3.1 Insufficient system storage'],
  ])('treats %i as SMTP_TEMPORARY_FAILURE (retriable)', (responseCode, response) => {
    const classified = classifySmtpError(smtpError(`Can't send mail - ${response}`, { code: 'EENVELOPE', responseCode, response }));
    expect(classified).toBeInstanceOf(RetriableError);
    expect(classified.code).toBe(SmtpErrorCode.TemporaryFailure);
    expect(classified.message).toContain(response);
  });

  it.each([
    [550, '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown'],
    [552, '552 5.3.4 Message size exceeds fixed limit'],
    [554, '554 5.7.1 Rejected by policy'],
    [535, '535 5.7.8 Authentication credentials invalid'],
  ])('treats %i as SMTP_REJECTED (permanent)', (responseCode, response) => {
    const classified = classifySmtpError(smtpError(response, { code: 'EENVELOPE', responseCode, response }));
    expect(classified).toBeInstanceOf(PermanentError);
    expect(classified.code).toBe(SmtpErrorCode.Rejected);
    expect(isRetriable(classified)).toBe(false);
  });

  it('treats 421, the server closing the channel, as SMTP_UNAVAILABLE: the server is down, not this message', () => {
    const response = '421 4.3.2 Service not available, closing transmission channel';
    const classified = classifySmtpError(smtpError(response, { code: 'EPROTOCOL', responseCode: 421, response }));
    expect(classified).toBeInstanceOf(RetriableError);
    expect(classified.code).toBe(SmtpErrorCode.Unavailable);
    expect(meansServerDown(classified)).toBe(true);
  });

  it('counts only unavailability as the server being down', () => {
    expect(meansServerDown(classifySmtpError(smtpError('connect ECONNREFUSED', { code: 'ECONNREFUSED' })))).toBe(true);
    expect(meansServerDown(classifySmtpError(smtpError('451 greylisted', { code: 'EENVELOPE', responseCode: 451 })))).toBe(false);
    expect(meansServerDown(classifySmtpError(smtpError('550 unknown user', { code: 'EENVELOPE', responseCode: 550 })))).toBe(false);
  });

  it('lets a reply code win over a connection code', () => {
    const classified = classifySmtpError(smtpError('closed', { code: 'ECONNECTION', responseCode: 554 }));
    expect(classified.code).toBe(SmtpErrorCode.Rejected);
  });

  it('retries 503 bad sequence, which a fresh connection cures', () => {
    const classified = classifySmtpError(smtpError('503 5.5.1 Error: need MAIL command', { code: 'EPROTOCOL', responseCode: 503 }));
    expect(classified).toBeInstanceOf(RetriableError);
  });

  it('dead-letters a message nodemailer refuses before sending', () => {
    const classified = classifySmtpError(smtpError('No recipients defined', { code: 'EENVELOPE' }));
    expect(classified).toBeInstanceOf(PermanentError);
    expect(classified.code).toBe(SmtpErrorCode.InvalidMessage);
  });

  it('keeps unknown failures retriable and platform errors as they are', () => {
    expect(errorCode(classifySmtpError(new TypeError('boom')))).toBe(SmtpErrorCode.Unclassified);
    expect(isRetriable(classifySmtpError('weird'))).toBe(true);
    const own = new PermanentError('already classified', 'SOMETHING');
    expect(classifySmtpError(own)).toBe(own);
  });
});
