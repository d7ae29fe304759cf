import { clock } from '../api/clock';
import { registrySpace } from '../api/registry';
import { emptyMemory, FINGERPRINT_CHARS, type FiredMemory } from './memory';

/**
 * What a webhook trigger fired lately, kept in this n8n process beside the node's static data. n8n
 * loads the static data for each call and saves it whole afterwards, so calls that overlap start from
 * the same memory and the last save wins; a save n8n does not make loses what fired. Within one
 * process this copy covers both: calls for one payout take turns, and each starts from the static
 * data and this copy joined. Another process (a queue-mode webhook process) has its own.
 */
interface Recent {
	memory: FiredMemory;
	usedAt: number;
	/** Per payout id: the call now deciding it; the next waits for it. */
	turns: Map<string, Promise<unknown>>;
}

/** At most this many trigger nodes are kept in a process; the one called least lately goes first. */
export const MAX_RECENT_NODES = 50;
/** A node not called for this long is dropped (its static data still holds what fired). */
export const RECENT_IDLE_MS = 24 * 60 * 60 * 1000;
/** At most this many outcomes a node (about 400 KB); past it, the oldest days go (the static data keeps them). */
export const RECENT_MAX_OUTCOMES = 50_000;

const space = () => registrySpace<Recent>('webhook-recent');

/** The recent memory of one trigger node (`key`: its workflow, node and mode). */
export function recentOf(key: string): Recent {
	const now = clock.now();
	const nodes = space();
	for (const [other, recent] of nodes) if (now - recent.usedAt > RECENT_IDLE_MS && recent.turns.size === 0) nodes.delete(other);
	let recent = nodes.get(key);
	if (!recent) {
		recent = { memory: emptyMemory(), usedAt: now, turns: new Map() };
		nodes.set(key, recent);
	}
	// Map order is use order: the least lately used first.
	nodes.delete(key);
	nodes.set(key, recent);
	recent.usedAt = now;
	while (nodes.size > MAX_RECENT_NODES) nodes.delete(nodes.keys().next().value!);
	return recent;
}

/** How many trigger nodes the process keeps now. */
export function recentNodes(): number {
	return space().size;
}

/**
 * Runs `work` once every earlier call for the same payout in this process has finished. `waiting` is
 * called first when there is one, so that the caller can answer Wistfare before it waits.
 */
export async function inTurn<T>(recent: Recent, payoutId: string, work: () => Promise<T>, waiting: () => void): Promise<T> {
	const before = recent.turns.get(payoutId);
	if (before) waiting();
	const mine = (async () => {
		await before?.catch(() => undefined);
		return await work();
	})();
	recent.turns.set(payoutId, mine);
	try {
		return await mine;
	} finally {
		if (recent.turns.get(payoutId) === mine) recent.turns.delete(payoutId);
	}
}

/** A memory cut to `max` outcomes, oldest days first (today's kept whole). */
export function trimmed(memory: FiredMemory, max = RECENT_MAX_OUTCOMES): FiredMemory {
	const days = { ...memory.days };
	let count = Object.values(days).reduce((sum, day) => sum + day.length / FINGERPRINT_CHARS, 0);
	const numbers = Object.keys(days).sort((a, b) => Number(a) - Number(b));
	for (const number of numbers.slice(0, -1)) {
		if (count <= max) break;
		count -= days[number].length / FINGERPRINT_CHARS;
		delete days[number];
	}
	return { v: 2, days, forgottenBefore: memory.forgottenBefore };
}
