/**
 * Sign plans between 'sign.prepare' (hash, show the confirmation) and 'sign.confirm' (sign).
 * A plan is signed at most once; confirming what the user did not see is impossible because the
 * confirm call names only the plan id.
 */
import { randomUUID } from 'node:crypto';
import { SignetError } from '../../../native/errors';
import type { SignPlan } from '../../api';
import type { SignJob } from '../services';

export type PlanState = 'preparing' | 'ready' | 'signing' | 'finished' | 'cancelled';

export interface PlanEntry {
  id: string;
  state: PlanState;
  job: SignJob;
  plan?: SignPlan;
  abort: AbortController;
}

const MAX_PLANS = 50;

export class PlanStore {
  private readonly plans = new Map<string, PlanEntry>();

  create(job: SignJob): PlanEntry {
    if (this.plans.size >= MAX_PLANS) {
      for (const [id, p] of this.plans) {
        if (p.state !== 'signing') {
          this.plans.delete(id);
          break;
        }
      }
    }
    const entry: PlanEntry = { id: randomUUID(), state: 'preparing', job, abort: new AbortController() };
    this.plans.set(entry.id, entry);
    return entry;
  }

  get(id: string): PlanEntry {
    const p = this.plans.get(id);
    if (!p) throw new SignetError('INVALID_INPUT', 'This signing request has expired. Start again.');
    return p;
  }

  cancel(id: string): void {
    const p = this.plans.get(id);
    if (!p) return;
    if (p.state === 'preparing' || p.state === 'signing' || p.state === 'ready') p.abort.abort();
    if (p.state !== 'finished') p.state = 'cancelled';
  }

  delete(id: string): void {
    this.plans.delete(id);
  }
}
