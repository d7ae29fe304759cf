'use strict';
// Faults injected on the sandbox's routes: how it misbehaves on request (shared/wistfare-api.md).
const wire = require('./wire');

/**
 * Faults by route (its `METHOD /path` key). Types: `latency` {ms}, `status` {status, retryAfter?},
 * `drop` (close before doing anything), `commitThenDrop` (do the work, then close the connection
 * without answering), `commitThenStatus` {status, body?} (do the work, then answer that status, a 5xx
 * after commit or a 409 "in progress", or that body in place of the real answer), `rewrite`
 * {set?, unset?} (answer the real answer with these fields, in camelCase names, set or left out: a
 * server answering another payout, or one without its business). `times` (default 1) is how many
 * requests a fault hits; `skip` how many matching requests pass first.
 */
class Faults {
	constructor() {
		/** @type {Map<string, Array<{ type: string, times: number, [k: string]: any }>>} */
		this.byRoute = new Map();
	}

	add(route, fault) {
		const list = this.byRoute.get(route) ?? [];
		list.push({ times: 1, ...fault });
		this.byRoute.set(route, list);
	}

	clear() {
		this.byRoute.clear();
	}

	/** The fault this request meets, if any (counted). */
	take(route) {
		const list = this.byRoute.get(route);
		if (!list || list.length === 0) return undefined;
		const fault = list[0];
		if (fault.skip > 0) {
			fault.skip -= 1;
			return undefined;
		}
		fault.times -= 1;
		if (fault.times <= 0) list.shift();
		return fault;
	}
}

/**
 * What a fault does before the work: true when it answered (or dropped) the request.
 * @param {{ type: string, [k: string]: any } | undefined} fault
 * @param {{ drop: () => void, fail: (status: number, code: string, message: string, details?: any, headers?: Record<string, string>) => void, delay: (ms: number) => Promise<void> }} answer
 */
async function beforeWork(fault, answer) {
	if (fault?.type === 'latency') await answer.delay(fault.ms);
	if (fault?.type === 'drop') return (answer.drop(), true);
	if (fault?.type !== 'status') return false;
	/** @type {Record<string, string>} */
	const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
	const code = fault.status === 429 ? 'rate_limit' : 'internal_error';
	answer.fail(fault.status, code, `Injected ${fault.status}`, undefined, headers);
	return true;
}

/**
 * What a fault does once the work is done: true when it answered (or dropped) in place of the answer.
 * @param {{ type: string, [k: string]: any } | undefined} fault
 * @param {{ status: number, body?: any }} outcome
 * @param {'camel' | 'snake'} dialect
 * @param {{ drop: () => void, reply: (status: number, body: any) => void, fail: (status: number, code: string, message: string) => void }} answer
 */
function afterWork(fault, outcome, dialect, answer) {
	if (fault?.type === 'commitThenDrop') return (answer.drop(), true);
	if (fault?.type === 'rewrite' && outcome.status < 300 && outcome.body && typeof outcome.body === 'object') {
		const body = { ...outcome.body, ...wire.write(fault.set ?? {}, dialect) };
		for (const name of fault.unset ?? []) delete body[dialect === 'snake' ? wire.snakeOf(name) : name];
		answer.reply(outcome.status, body);
		return true;
	}
	if (fault?.type !== 'commitThenStatus') return false;
	if (fault.body !== undefined) answer.reply(fault.status, fault.body);
	else answer.fail(fault.status, fault.status === 409 ? 'conflict' : 'internal_error', `Injected ${fault.status} after the work was done`);
	return true;
}

module.exports = { Faults, beforeWork, afterWork };
