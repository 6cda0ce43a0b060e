import { Socket, connect } from 'node:net';

export interface SlowClientOptions {
  readonly port: number;
  readonly host?: string;
  readonly method?: string;
  readonly path?: string;
  /** Header lines besides Host and Content-Length, e.g. { authorization: 'Bearer …' }. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The Content-Length declared; the body actually sent is `sendBytes` of it. */
  readonly declaredBytes: number;
  /** Body bytes sent right after the headers. */
  readonly sendBytes?: number;
  /** Then one more byte every this many ms, until the declared length or the connection ends; 0 sends nothing more. */
  readonly tricklePeriodMs?: number;
  /** Send the headers themselves one line at a time, this far apart (a slow-headers client); 0 sends them at once. */
  readonly headerLinePeriodMs?: number;
}

/** A client that uploads too slowly (or never finishes), as a flaky phone or a slowloris attack does. */
export interface SlowClient {
  /** The status of the answer, if one came before the connection closed; undefined when none did. */
  readonly answered: Promise<{ status: number; head: string; body: string } | undefined>;
  /** Resolves when the server or `hangUp` closed the connection. */
  readonly closed: Promise<void>;
  /** Ends the connection from this side (a FIN, like a client that gives up). */
  hangUp(): void;
}

/** Opens one slow client; resolves once it is connected and has sent what it sends at once. */
export function openSlowClient(options: SlowClientOptions): Promise<SlowClient> {
  const headerLines = [
    `${options.method ?? 'POST'} ${options.path ?? '/v1/accounts'} HTTP/1.1`,
    `Host: ${options.host ?? '127.0.0.1'}`,
    'Content-Type: application/json',
    `Content-Length: ${options.declaredBytes}`,
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(options.port, options.host ?? '127.0.0.1');
    let received = '';
    const timers: NodeJS.Timeout[] = [];
    const stop = () => timers.forEach((timer) => clearInterval(timer));
    const closed = new Promise<void>((done) => socket.once('close', () => (stop(), done())));
    const answered = closed.then(() => parseAnswer(received));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.off('error', reject);
      let sent = Math.min(options.sendBytes ?? 0, options.declaredBytes);
      const trickleBody = () => {
        if (!options.tricklePeriodMs) return;
        timers.push(
          setInterval(() => {
            if (sent >= options.declaredBytes || socket.destroyed || !socket.writable) return stop();
            socket.write(' ');
            sent++;
          }, options.tricklePeriodMs),
        );
      };
      if (options.headerLinePeriodMs) {
        let line = 0;
        timers.push(
          setInterval(() => {
            if (socket.destroyed || !socket.writable) return stop();
            socket.write(`${headerLines[line++]}\r\n`);
            if (line === headerLines.length) stop();
          }, options.headerLinePeriodMs),
        );
      } else {
        socket.write(`${headerLines.join('\r\n')}\r\n\r\n${' '.repeat(sent)}`);
        trickleBody();
      }
      resolve({ answered, closed, hangUp: () => (stop(), socket.end()) });
    });
    socket.once('error', reject);
  });
}

function parseAnswer(received: string): { status: number; head: string; body: string } | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
  if (!match) return undefined;
  const end = received.indexOf('\r\n\r\n');
  return { status: Number(match[1]), head: end === -1 ? received : received.slice(0, end), body: end === -1 ? '' : received.slice(end + 4) };
}
