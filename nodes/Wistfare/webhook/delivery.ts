import type { IDataObject } from 'n8n-workflow';

import { isFinal } from '../payout/status';
import type { Disbursement } from '../payout/types';
import { hasFired, mayBeForgotten, type FiredMemory } from './memory';

/** The disbursement events Wistfare sends; anything else (collection.*, unknown) starts nothing. */
export const DISBURSEMENT_EVENTS = ['disbursement.completed', 'disbursement.failed'] as const;

/** Where a delivery may name its payout, in both spellings: the documented name first. */
const ID_NAMES = ['transaction_id', 'transactionId', 'disbursement_id', 'disbursementId', 'id'];

/** What a delivery claims. Nothing of it is believed but the id to look up. */
export type Delivery =
	| { kind: 'payout'; event: string; id: string }
	| { kind: 'ignored'; reason: string };

/** Reads a delivery in either spelling (snake_case as documented, or camelCase). */
export function readDelivery(body: unknown): Delivery {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'ignored', reason: 'the body is not a JSON object' };
	const payload = body as IDataObject;
	const event = typeof payload.event === 'string' ? payload.event : '';
	if (!(DISBURSEMENT_EVENTS as readonly string[]).includes(event)) {
		return { kind: 'ignored', reason: event ? `event "${event}" is not a payout outcome` : 'the delivery names no event' };
	}
	const id = ID_NAMES.map((name) => payload[name]).find((value) => typeof value === 'string' && value.trim() !== '');
	if (typeof id !== 'string') return { kind: 'ignored', reason: 'the delivery names no payout (transaction_id)' };
	return { kind: 'payout', event, id: id.trim() };
}

export interface Scope {
	businessId: string;
	walletId?: string;
	/** The statuses that fire (as fetched). */
	statuses: string[];
}

export type Verdict =
	| { fire: true; key: string; payout: Disbursement }
	| { fire: false; reason: string; final: boolean; forgotten?: boolean };

/** When the payout reached its status, on Wistfare's clock (its creation, when it has no update time). */
function outcomeAt(payout: Disbursement): number | undefined {
	for (const value of [payout.updatedAt, payout.createdAt]) {
		const at = typeof value === 'string' ? Date.parse(value) : NaN;
		if (!Number.isNaN(at)) return at;
	}
	return undefined;
}

const named = (value: unknown) => typeof value === 'string' && value !== '';

/**
 * Whether a payout as fetched fires for the delivery that named `deliveredId`. Closed by default:
 * only the payout delivered, positively of the business (and wallet, when set), in a status that
 * fires, not fired before and not possibly forgotten. `final: false` means the payout may still get
 * there (a status not final yet): the caller may look again.
 */
export function judge(payout: Disbursement, deliveredId: string, scope: Scope, memory: FiredMemory): Verdict {
	const ruledOut = (reason: string, extra: { forgotten?: boolean } = {}): Verdict => ({ fire: false, reason, final: true, ...extra });
	if (payout.id !== deliveredId) return ruledOut(`Wistfare answered payout ${String(payout.id)} when asked for ${deliveredId}`);
	if (!named(payout.businessId)) return ruledOut(`payout ${deliveredId} as fetched names no business`);
	if (payout.businessId !== scope.businessId) return ruledOut(`payout ${deliveredId} belongs to another business`);
	if (scope.walletId && !named(payout.walletId)) return ruledOut(`payout ${deliveredId} as fetched names no wallet`);
	if (scope.walletId && payout.walletId !== scope.walletId) return ruledOut(`payout ${deliveredId} is from another wallet`);
	if (!scope.statuses.includes(payout.status)) {
		const reason = `payout ${deliveredId} is ${payout.status}, which does not fire`;
		return { fire: false, reason, final: isFinal(payout.status) };
	}
	const key = `${payout.id}:${payout.status}`;
	if (hasFired(memory, key)) return ruledOut(`payout ${deliveredId} already fired as ${payout.status}`);
	if (mayBeForgotten(memory, outcomeAt(payout))) {
		return ruledOut(
			`payout ${deliveredId} became ${payout.status} before the oldest outcome this trigger still remembers: it cannot tell whether it fired then, so it does not fire now`,
			{ forgotten: true },
		);
	}
	return { fire: true, key, payout };
}

/** A secret compared in a time that does not depend on where the strings differ. */
export function sameSecret(given: unknown, expected: string): boolean {
	const text = typeof given === 'string' ? given : '';
	let difference = text.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) difference |= (text.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
	return difference === 0;
}
