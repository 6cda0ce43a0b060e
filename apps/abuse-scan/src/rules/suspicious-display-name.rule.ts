import { AbuseRule, RuleHit, SignupFacts } from './abuse-rule';

export interface SuspiciousDisplayNameOptions {
  readonly weight: number;
  readonly maxLength: number;
}

// The display name lands in our own mails and in other users' views: spammers put a link or an
// advert there. Common spam TLDs and any scheme or www. count as a link.
const URL_PATTERN = /(\bhttps?:\/\/|\bwww\.|\b[a-z0-9-]{2,}\.(?:com|net|org|info|biz|io|co|ru|cn|xyz|top|site|online|shop|click|link|live|club|vip|win|bet|casino)\b)/i;
// C0/C1 controls (newlines, escapes) and the bidi overrides that flip how a name reads
// (U+202A-202E, U+2066-2069). Zero-width joiners are left alone: emoji sequences need them.
const CONTROL_PATTERN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

export class SuspiciousDisplayNameRule implements AbuseRule {
  static readonly NAME = 'suspicious-display-name';
  readonly name = SuspiciousDisplayNameRule.NAME;
  readonly version = '1';

  constructor(private readonly options: SuspiciousDisplayNameOptions) {}

  evaluate(signup: SignupFacts): RuleHit | undefined {
    const name = signup.displayName;
    const signals: string[] = [];
    // Signals only, never the name itself: verdicts travel on Kafka and into review tools.
    if (URL_PATTERN.test(name)) signals.push('contains a link');
    // Count code points, not UTF-16 units, so an emoji is one character as a person sees it.
    const length = [...name].length;
    if (length > this.options.maxLength) signals.push(`is ${length} characters long`);
    if (CONTROL_PATTERN.test(name)) signals.push('contains control characters');
    if (signals.length === 0) return undefined;
    return {
      rule: this.name,
      version: this.version,
      score: this.options.weight,
      reason: `display name ${signals.join(', ')}`,
    };
  }
}
