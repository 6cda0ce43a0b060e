/** What the rules look at: the parts of an account.created.v1 that say something about abuse. */
export interface SignupFacts {
  readonly accountId: string;
  /** Lower-cased; the local part keeps its case in the address but not in our comparisons. */
  readonly email: string;
  readonly localPart: string;
  readonly domain: string;
  readonly displayName: string;
  readonly ip: string | null;
  /** Signup time in epoch ms, from the event, so a replay or a lagging consumer sees the same windows. */
  readonly signedUpAt: number;
}

/** One rule's finding: which rule, which version of it, how much it adds, and why in words. */
export interface RuleHit {
  readonly rule: string;
  readonly version: string;
  readonly score: number;
  readonly reason: string;
}

/**
 * A rule returns a hit or nothing. Its version changes whenever its behaviour does, so a verdict
 * can be explained later from the versions it carries.
 */
export interface AbuseRule {
  readonly name: string;
  readonly version: string;
  evaluate(signup: SignupFacts): RuleHit | undefined;
}

export function signupFacts(data: {
  accountId: string;
  email: string;
  displayName: string;
  signupContext: { ip: string | null };
  createdAt: string;
}): SignupFacts {
  const email = data.email.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const signedUpAt = Date.parse(data.createdAt);
  return {
    accountId: data.accountId,
    email,
    localPart: at > 0 ? email.slice(0, at) : email,
    domain: at > 0 ? email.slice(at + 1) : '',
    displayName: data.displayName,
    ip: data.signupContext.ip,
    signedUpAt: Number.isNaN(signedUpAt) ? Date.now() : signedUpAt,
  };
}
