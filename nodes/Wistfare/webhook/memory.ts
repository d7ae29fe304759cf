import { createHash } from 'node:crypto';

import { SERVER_CLOCK_SKEW_MS } from '../api/clock';

/**
 * What the webhook trigger remembers of the outcomes it fired, in the node's static data (read and
 * written on every delivery, so kept small): a fixed-width fingerprint of each `id:status`, grouped
 * by the day it fired (n8n's clock) and sorted within the day, so that a look-up is a binary search
 * per day and a day's expiry drops one string.
 */
export interface FiredMemory {
	v: 2;
	/** Day number (UTC days since the epoch) → that day's fingerprints, sorted, FINGERPRINT_CHARS each. */
	days: Record<string, string>;
	/** Outcomes fired before this instant (ms, n8n's clock) are forgotten; null: nothing is. */
	forgottenBefore: number | null;
	/** What the user must be told, kept until it goes out with the next item fired. */
	notices?: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a fired outcome is remembered: a redelivery within this never fires twice. */
export const REMEMBER_DAYS = 30;
/** 48 bits of SHA-256: at 600,000 remembered, a new outcome is taken for a fired one about once in 470 million. */
export const FINGERPRINT_CHARS = 8;
/** At most this many are remembered (about 4.8 MB): 20,000 outcomes a day for 30 days. Past it, the oldest days go. */
export const REMEMBER_MAX = 600_000;
const MAX_NOTICES = 5;

export function emptyMemory(): FiredMemory {
	return { v: 2, days: {}, forgottenBefore: null };
}

export function fingerprint(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, FINGERPRINT_CHARS);
}

/** Where `print` is, or would be inserted, in a sorted day string. */
function position(day: string, print: string): number {
	let low = 0;
	let high = day.length / FINGERPRINT_CHARS;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (day.slice(middle * FINGERPRINT_CHARS, (middle + 1) * FINGERPRINT_CHARS) < print) low = middle + 1;
		else high = middle;
	}
	return low;
}

export function hasFired(memory: FiredMemory, key: string): boolean {
	const print = fingerprint(key);
	return Object.values(memory.days).some((day) => day.startsWith(print, position(day, print) * FINGERPRINT_CHARS));
}

/**
 * Whether an outcome that happened at `at` (Wistfare's clock; undefined: unknown) may have fired
 * before what the memory still holds: then the node cannot tell a redelivery from a first delivery.
 */
export function mayBeForgotten(memory: FiredMemory, at: number | undefined): boolean {
	if (memory.forgottenBefore === null) return false;
	return at === undefined || at < memory.forgottenBefore + SERVER_CLOCK_SKEW_MS;
}

/** The memory with `key` fired at `now`, days past REMEMBER_DAYS dropped, and under REMEMBER_MAX. */
export function remember(memory: FiredMemory, key: string, now: number): FiredMemory {
	const today = Math.floor(now / DAY_MS);
	const days = { ...memory.days };
	const print = fingerprint(key);
	const day = days[today] ?? '';
	const at = position(day, print) * FINGERPRINT_CHARS;
	if (!day.startsWith(print, at)) days[today] = day.slice(0, at) + print + day.slice(at);
	let forgottenBefore = memory.forgottenBefore;
	const notices = [...(memory.notices ?? [])];
	const forget = (number: string) => {
		delete days[number];
		forgottenBefore = Math.max(forgottenBefore ?? -Infinity, (Number(number) + 1) * DAY_MS);
	};
	const kept = Object.keys(days).sort((a, b) => Number(a) - Number(b));
	for (const number of kept) if (Number(number) <= today - REMEMBER_DAYS) forget(number);
	let count = Object.values(days).reduce((sum, text) => sum + text.length / FINGERPRINT_CHARS, 0);
	for (const number of kept) {
		if (count <= REMEMBER_MAX || Number(number) === today || !(number in days)) continue;
		count -= days[number].length / FINGERPRINT_CHARS;
		forget(number);
		notices.push(
			`${new Date(now).toISOString()}: more than ${REMEMBER_MAX} outcomes in ${REMEMBER_DAYS} days; those fired before ${new Date(forgottenBefore!).toISOString()} are forgotten, and a redelivery of one of them will not start the workflow.`,
		);
	}
	return { v: 2, days, forgottenBefore, ...(notices.length ? { notices: notices.slice(-MAX_NOTICES) } : {}) };
}

/**
 * Two memories of one node joined (the static data n8n loaded, and the process's recent copy): every
 * fingerprint of either; forgotten what either forgot; the notices of the first.
 */
export function joined(first: FiredMemory, second: FiredMemory): FiredMemory {
	const days = { ...first.days };
	for (const [number, day] of Object.entries(second.days)) {
		const prints = new Set<string>();
		for (const text of [days[number] ?? '', day]) for (let at = 0; at < text.length; at += FINGERPRINT_CHARS) prints.add(text.slice(at, at + FINGERPRINT_CHARS));
		days[number] = [...prints].sort().join('');
	}
	const forgotten = [first.forgottenBefore, second.forgottenBefore].filter((at): at is number => at !== null);
	return { ...first, days, forgottenBefore: forgotten.length ? Math.max(...forgotten) : null };
}

/** The memory with a notice for the user added. */
export function withNotice(memory: FiredMemory, notice: string): FiredMemory {
	return { ...memory, notices: [...(memory.notices ?? []), notice].slice(-MAX_NOTICES) };
}

/**
 * The memory as saved: today's shape, or the record of earlier versions (`id:status` → when it
 * fired, at most 5,000 for 30 days), whose dropped entries count as forgotten.
 */
export function readMemory(saved: unknown, now: number): FiredMemory {
	const value = saved as FiredMemory | Record<string, number> | undefined;
	if (!value || typeof value !== 'object') return emptyMemory();
	if ((value as FiredMemory).v === 2 && typeof (value as FiredMemory).days === 'object') return value as FiredMemory;
	let memory = emptyMemory();
	const entries = Object.entries(value as Record<string, number>).filter(([, at]) => typeof at === 'number');
	for (const [key, at] of entries) memory = remember(memory, key, at);
	const oldest = Math.min(...entries.map(([, at]) => at));
	const forgottenBefore = entries.length >= 5000 ? oldest : now - REMEMBER_DAYS * DAY_MS;
	return { ...memory, forgottenBefore: Math.max(memory.forgottenBefore ?? -Infinity, forgottenBefore) };
}
