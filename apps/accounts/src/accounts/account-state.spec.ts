import { ALL_ACCOUNT_STATUSES, AccountStatus, AccountTransition, TransitionResult, isAccountStatus, transition } from './account-state';

const { Pending, Active, Suspended, Closed } = AccountStatus;
const { Activate, Suspend, Reactivate, Close } = AccountTransition;

describe('account state machine', () => {
  // Every (from, transition) pair, with the expected target or null for "not allowed".
  const table: [AccountStatus, AccountTransition, boolean, AccountStatus | null][] = [
    [Pending, Activate, false, Active],
    [Pending, Suspend, false, Suspended],
    [Pending, Reactivate, false, null],
    [Pending, Close, false, Closed],
    [Active, Activate, true, null],
    [Active, Suspend, true, Suspended],
    [Active, Reactivate, true, null],
    [Active, Close, true, Closed],
    [Suspended, Activate, true, null],
    [Suspended, Suspend, true, null],
    [Suspended, Reactivate, true, Active],
    [Suspended, Reactivate, false, Pending],
    [Suspended, Close, true, Closed],
    [Closed, Activate, true, null],
    [Closed, Suspend, true, null],
    [Closed, Reactivate, true, null],
    [Closed, Close, true, null],
  ];

  it.each(table)('%s --%s--> (provisioned=%s) %s', (from, what, provisioned, to) => {
    const result: TransitionResult = transition(from, what, { provisioned });
    if (to === null) expect(result).toEqual({ allowed: false, from, transition: what });
    else expect(result).toEqual({ allowed: true, to });
  });

  it('covers every status and transition', () => {
    const pairs = new Set(table.map(([from, what]) => `${from}:${what}`));
    for (const from of ALL_ACCOUNT_STATUSES) for (const what of Object.values(AccountTransition)) expect(pairs).toContain(`${from}:${what}`);
  });

  it('makes closed final: nothing leaves it, whatever the context', () => {
    for (const what of Object.values(AccountTransition)) {
      for (const provisioned of [true, false]) expect(transition(Closed, what, { provisioned }).allowed).toBe(false);
    }
  });

  it('recognises statuses', () => {
    expect(ALL_ACCOUNT_STATUSES.every(isAccountStatus)).toBe(true);
    expect(isAccountStatus('deleted')).toBe(false);
    expect(isAccountStatus(undefined)).toBe(false);
  });
});
