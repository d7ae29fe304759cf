import type { IDataObject } from 'n8n-workflow';

import type { Disbursement } from '../Wistfare/transport/types';

/** The disbursement events Wistfare sends; anything else (collection.*, unknown) starts nothing. */
export const DISBURSEMENT_EVENTS = ['disbursement.completed', 'disbursement.failed'] as const;

/** How long a fired payout status is remembered, so that a repeated delivery starts nothing. */
export const REMEMBER_MS = 30 * 24 * 60 * 60 * 1000;
/** At most this many are remembered (the oldest go first). */
export const REMEMBER_MAX = 5000;

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

/** What was fired, by `id:status`, with when. Kept in the node's static data. */
export type Fired = Record<string, number>;

export type Verdict = { fire: true; key: string; payout: Disbursement } | { fire: false; reason: string; final: boolean };

/**
 * Whether a payout as fetched fires. `final: false` means the payout may still get there (a read
 * that lags the delivery): the caller looks again before it gives up.
 */
export function judge(payout: Disbursement, scope: Scope, fired: Fired): Verdict {
	if (payout.businessId && payout.businessId !== scope.businessId) {
		return { fire: false, reason: `payout ${payout.id} belongs to another business`, final: true };
	}
	if (scope.walletId && payout.walletId !== scope.walletId) {
		return { fire: false, reason: `payout ${payout.id} is from another wallet`, final: true };
	}
	if (!scope.statuses.includes(payout.status)) {
		return { fire: false, reason: `payout ${payout.id} is ${payout.status}, which does not fire`, final: false };
	}
	const key = `${payout.id}:${payout.status}`;
	if (fired[key] !== undefined) return { fire: false, reason: `payout ${payout.id} already fired as ${payout.status}`, final: true };
	return { fire: true, key, payout };
}

/** The record with `key` added, and the old and surplus entries gone. */
export function remember(fired: Fired, key: string, now: number): Fired {
	const kept = Object.entries({ ...fired, [key]: now })
		.filter(([, at]) => at > now - REMEMBER_MS)
		.sort(([, a], [, b]) => b - a)
		.slice(0, REMEMBER_MAX);
	return Object.fromEntries(kept);
}

/** A secret compared in a time that does not depend on where the strings differ. */
export function sameSecret(given: unknown, expected: string): boolean {
	const text = typeof given === 'string' ? given : '';
	let difference = text.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) difference |= (text.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
	return difference === 0;
}
