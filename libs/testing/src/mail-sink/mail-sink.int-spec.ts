import { createTransport } from 'nodemailer';
import { MailSink } from './mail-sink';

describe('MailSink over real SMTP', () => {
  let sink: MailSink;
  beforeEach(async () => {
    sink = await new MailSink({ httpPort: 0 }).start();
  });
  afterEach(() => sink.stop());

  const transport = () => createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });

  it('records a message and serves it as JSON and HTML', async () => {
    await transport().sendMail({ from: 'a@example.test', to: 'Bob@Example.test', subject: 'Hi <b>', text: 'plain', html: '<p>hello</p>', messageId: '<m1@test>' });
    const [mail] = sink.messagesTo('bob@example.test');
    expect(mail).toMatchObject({ subject: 'Hi <b>', messageId: '<m1@test>', text: expect.stringContaining('plain') });
    const json = await (await fetch(`http://127.0.0.1:${sink.httpPort}/api/messages?to=bob@example.test`)).json();
    expect(json).toHaveLength(1);
    const html = await (await fetch(`http://127.0.0.1:${sink.httpPort}/`)).text();
    expect(html).toContain('Hi &#60;b&#62;');
  });

  it('rejects a mailbox with the configured SMTP code', async () => {
    sink.rejectRecipient('gone@example.test', 550);
    await expect(transport().sendMail({ from: 'a@example.test', to: 'gone@example.test', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    expect(sink.messages()).toHaveLength(0);
  });

  it('refuses connections while SMTP is stopped and accepts again after restart', async () => {
    await sink.stopSmtp();
    await expect(transport().sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'x' })).rejects.toMatchObject({ code: 'ESOCKET' });
    await sink.restartSmtp();
    await transport().sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'x' });
    expect(sink.messagesTo('b@example.test')).toHaveLength(1);
  });

  it('is controlled over HTTP by tests in another process: SMTP down and up, mailboxes rejected', async () => {
    const api = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${sink.httpPort}${path}`, init);
    expect((await api('/api/smtp/stop', { method: 'POST' })).status).toBe(204);
    expect(await (await api('/api/smtp')).json()).toEqual({ running: false, port: sink.smtpPort });
    await expect(transport().sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'x' })).rejects.toMatchObject({ code: 'ESOCKET' });
    expect((await api('/api/smtp/start', { method: 'POST' })).status).toBe(204);

    const reject = await api('/api/rejections', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: 'Full@example.test', code: 452, message: 'mailbox full' }) });
    expect(reject.status).toBe(204);
    await expect(transport().sendMail({ from: 'a@example.test', to: 'full@example.test', text: 'x' })).rejects.toMatchObject({ responseCode: 452 });
    expect((await api('/api/rejections', { method: 'DELETE' })).status).toBe(204);
    await transport().sendMail({ from: 'a@example.test', to: 'full@example.test', text: 'x' });
    expect(sink.messagesTo('full@example.test')).toHaveLength(1);
    expect((await api('/api/rejections', { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('hangs up on open pooled connections when SMTP stops, so nothing more is delivered', async () => {
    const pooled = createTransport({ pool: true, host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
    try {
      await pooled.sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'first' });
      await sink.stopSmtp();
      await expect(pooled.sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'second' })).rejects.toBeDefined();
      expect(sink.messagesTo('b@example.test')).toHaveLength(1);
    } finally {
      pooled.close();
    }
  });
});
