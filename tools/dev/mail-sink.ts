import { MailSink } from '@platform/testing';

// The local stack's SMTP server and mail viewer: SMTP on MAIL_SINK_SMTP_PORT, web on MAIL_SINK_HTTP_PORT.
async function main(): Promise<void> {
  const sink = await new MailSink({
    smtpPort: Number(process.env.MAIL_SINK_SMTP_PORT ?? 1025),
    httpPort: Number(process.env.MAIL_SINK_HTTP_PORT ?? 1080),
  }).start();
  console.log(JSON.stringify({ msg: 'mail sink ready', smtpPort: sink.smtpPort, httpPort: sink.httpPort }));
  const stop = () => void sink.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
