import { AbuseRule, RuleHit, SignupFacts } from './abuse-rule';

export interface SuspiciousLocalPartOptions {
  readonly weight: number;
  /** A run of this many digits or more looks generated: jsmith84629173@. */
  readonly minDigitRun: number;
  /** Consonants in a row that no name or word has: xkqvbzt@. */
  readonly minConsonantRun: number;
  /** Plus tags longer than this look generated rather than chosen (alice+newsletter is fine). */
  readonly maxPlusTagLength: number;
  readonly maxLength: number;
}

/**
 * Local parts that a script made rather than a person chose. Plus-addressing is legitimate, but
 * numeric or very long tags, or several plus signs, are how one inbox gets many accounts.
 */
export class SuspiciousLocalPartRule implements AbuseRule {
  static readonly NAME = 'suspicious-local-part';
  readonly name = SuspiciousLocalPartRule.NAME;
  readonly version = '1';

  constructor(private readonly options: SuspiciousLocalPartOptions) {}

  evaluate(signup: SignupFacts): RuleHit | undefined {
    const local = signup.localPart;
    const [base, ...tags] = local.split('+');
    const tag = tags.join('+');
    const { minDigitRun, minConsonantRun, maxPlusTagLength, maxLength } = this.options;
    const signals: string[] = [];

    const digits = new RegExp(`\\d{${minDigitRun},}`).exec(base);
    if (digits) signals.push(`a run of ${digits[0].length} digits`);
    if (new RegExp(`[bcdfghjklmnpqrstvwxz]{${minConsonantRun},}`).test(base)) signals.push('a random-looking run of consonants');
    if (tags.length > 1) signals.push(`${tags.length} plus tags`);
    else if (tags.length === 1 && /^\d+$/.test(tag)) signals.push('a numeric plus tag');
    else if (tag.length > maxPlusTagLength) signals.push(`a ${tag.length}-character plus tag`);
    if (local.length > maxLength) signals.push(`${local.length} characters`);

    if (signals.length === 0) return undefined;
    return {
      rule: this.name,
      version: this.version,
      score: this.options.weight,
      // The reason names the signals, not the address: verdicts travel on Kafka and into review tools.
      reason: `local part has ${signals.join(', ')}`,
    };
  }
}
