/**
 * The platform's one logger interface: what every lib, app and tool that logs asks for. The JSON
 * logger is the real one; specs pass a recording fake. Fields are counts, ids, topics and error
 * codes: payloads never go into them at info or above, since event data can carry personal data.
 */
export interface PlatformLogger {
  debug(msg: string, fields?: object): void;
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

/** Says nothing: the default where logging is optional, and the quiet logger of specs. */
export const silentLogger: PlatformLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
