import type { FaultKind, SimPlatform } from '../faults';
import { type GatewayContext, gatewayDown, type SimAnswer } from '../http';

/** How one gateway answers each fault that replaces the call, in its own envelope. */
export type FaultAnswers = Record<Exclude<FaultKind, 'timeout'>, () => SimAnswer>;

export type FaultOutcome =
  /** Handle the call as usual; `held` when its answer was held first (a timeout). */
  | { proceed: true; held?: 'timeout' }
  /** Answer this instead; null when the simulator closed while holding. */
  | { proceed: false; answer: SimAnswer | null };

/**
 * Meets the fault, if any, that the next call to `platform`/`target` was given (`FaultBook.take`):
 * a timeout holds the answer and then lets the call go on (the client cannot tell whether it took
 * effect); every other kind replaces the call with the gateway's answer for it.
 */
export async function meetFault(
  ctx: GatewayContext,
  platform: SimPlatform,
  target: string,
  answers: FaultAnswers,
): Promise<FaultOutcome> {
  const fault = ctx.state.faults.take(platform, target);
  if (!fault) return { proceed: true };
  if (fault.kind === 'timeout') {
    return (await ctx.hold(fault.delayMs)) ? { proceed: true, held: 'timeout' } : { proceed: false, answer: null };
  }
  return { proceed: false, answer: answers[fault.kind]() };
}

type MeituanError = { code: string | number; msg: string };

/**
 * Both Meituan gateways' answers: the gateway-down page (logged through the gateway's `answer`)
 * and their own rate-limit and parameter refusals.
 */
export function meituanFaultAnswers(
  answer: (body: Record<string, unknown>, fault: FaultKind, status: number) => SimAnswer,
  refuse: (error: MeituanError, fault: FaultKind) => SimAnswer,
  errors: { rateLimited: MeituanError; params: MeituanError },
): FaultAnswers {
  return {
    'server-error': () => {
      answer({ html: gatewayDown.body }, 'server-error', gatewayDown.status);
      return gatewayDown;
    },
    'rate-limit': () => refuse(errors.rateLimited, 'rate-limit'),
    validation: () => refuse(errors.params, 'validation'),
  };
}
