import type { ReceivedMail } from './mail-sink';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The mail viewer a developer opens after `npm run up`. Received HTML is shown in a sandboxed
 * iframe (srcdoc, no scripts) so a message can never run code in the viewer.
 */
export function renderInbox(mails: readonly ReceivedMail[]): string {
  const items = [...mails]
    .reverse()
    .map(
      (m) => `<article>
  <h2>${escape(m.subject ?? '(no subject)')}</h2>
  <p><b>To:</b> ${escape(m.envelopeTo.join(', '))} &middot; <b>From:</b> ${escape(m.from ?? '')} &middot; <b>Received:</b> ${escape(m.receivedAt)}<br><b>Message-ID:</b> ${escape(m.messageId ?? '')}</p>
  ${m.html ? `<iframe sandbox srcdoc="${escape(m.html)}"></iframe>` : ''}
  <details><summary>Plain text</summary><pre>${escape(m.text ?? '')}</pre></details>
</article>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Mail sink (${mails.length})</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}iframe{width:100%;height:18rem;border:1px solid #eee}</style>
</head><body><h1>Mail sink: ${mails.length} message(s)</h1><p>JSON: <a href="/api/messages">/api/messages</a> (filter with ?to=address)</p>${items || '<p>No mail yet.</p>'}</body></html>`;
}
