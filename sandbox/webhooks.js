'use strict';
// The sandbox's webhook deliveries, shaped as ../shared/wistfare-api.md documents them (snake_case,
// no signature), sent over real HTTP, and misbehaving on request: repeated, at once, late, forged.

const OUTCOME_EVENTS = { completed: 'disbursement.completed', failed: 'disbursement.failed' };

/** A payout's delivery in the documented (snake_case) shape, or camelCase. `claim` overrides what it says. */
function deliveryBody(record, event, dialect = 'snake', claim = {}) {
	const snake = {
		event,
		transaction_id: record.id,
		transaction_type: 'disbursement',
		status: event.split('.')[1] ?? record.status,
		amount: record.amount,
		fee_amount: '0',
		net_amount: record.amount,
		currency: record.currency ?? 'RWF',
		business_wallet_id: record.walletId,
		customer_phone: record.destinationRef,
		customer_name: record.destinationName ?? null,
		payment_method: record.destinationType,
		reference_id: record.referenceId,
		description: record.description,
		failure_reason: record.failureReason ?? null,
		timestamp: new Date().toISOString(),
		...claim,
	};
	if (dialect === 'snake') return snake;
	return Object.fromEntries(Object.entries(snake).map(([name, value]) => [name.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), value]));
}

class WebhookSender {
	/**
	 * @param {object} [options]
	 * @param {string} [options.url] where deliveries go (none: nothing is sent)
	 * @param {number} [options.repeat] each delivery is sent this many times (as a sender that retries may)
	 * @param {boolean} [options.atOnce] the repeats go at the same time instead of one after another
	 * @param {number} [options.delayMs] each delivery leaves this long after the status change
	 * @param {'snake'|'camel'} [options.dialect] the payload's spelling (the documented one is snake)
	 * @param {(ms: number) => Promise<void>} [options.sleep] how `delayMs` is waited (tests pass their own)
	 */
	constructor(options = {}) {
		this.url = options.url;
		this.repeat = options.repeat ?? 1;
		this.atOnce = options.atOnce ?? false;
		this.delayMs = options.delayMs ?? 0;
		this.dialect = options.dialect ?? 'snake';
		this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		/** @type {Array<{ at: number, url: string, body: any, status?: number, answeredAt?: number, answer?: any, error?: string }>} */
		this.log = [];
		/** Deliveries not answered yet: `settled()` waits for them. */
		this.pending = new Set();
	}

	configure(options) {
		for (const name of ['url', 'repeat', 'atOnce', 'delayMs', 'dialect']) if (options[name] !== undefined) this[name] = options[name];
	}

	/** A status change the store made: completed and failed payouts are delivered. */
	statusChanged(record) {
		const event = OUTCOME_EVENTS[record.status];
		if (event && this.url) void this.send(deliveryBody(record, event, this.dialect));
	}

	/** Sends one delivery (`repeat` times), after `delayMs`; resolves with the log entries when all were answered. */
	send(body, overrides = {}) {
		const { url = this.url, repeat = this.repeat, atOnce = this.atOnce, delayMs = this.delayMs, query = '' } = overrides;
		const task = (async () => {
			if (delayMs > 0) await this.sleep(delayMs);
			const entries = [];
			const one = async () => {
				const entry = { at: Date.now(), url, body };
				this.log.push(entry);
				entries.push(entry);
				try {
					const response = await fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
					entry.status = response.status;
					entry.answeredAt = Date.now();
					const text = await response.text();
					entry.answer = text ? safeJson(text) : undefined;
				} catch (error) {
					entry.error = error instanceof Error ? error.message : String(error);
				}
			};
			if (atOnce) await Promise.all(Array.from({ length: repeat }, one));
			else for (let i = 0; i < repeat; i++) await one();
			return entries;
		})();
		this.pending.add(task);
		void task.finally(() => this.pending.delete(task));
		return task;
	}

	/** Resolves when every delivery started so far was answered. */
	async settled() {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}
}

function safeJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

module.exports = { WebhookSender, deliveryBody, OUTCOME_EVENTS };
