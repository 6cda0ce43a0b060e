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
});
