'use strict';
// The sandbox's data: disbursements, their lifecycle, idempotency records. No HTTP here.
const fs = require('node:fs');

const FINAL_FAILURE_SUFFIX = '0000';

class Store {
	/**
	 * @param {{ processingAfterMs?: number, finalAfterMs?: number, autoAdvance?: boolean,
	 *           file?: string, now?: () => number }} options
	 */
	constructor(options = {}) {
		this.processingAfterMs = options.processingAfterMs ?? 2000;
		this.finalAfterMs = options.finalAfterMs ?? 5000;
		this.autoAdvance = options.autoAdvance ?? true;
		this.file = options.file;
		this.now = options.now ?? (() => Date.now());
		/** @type {Map<string, any>} id → record (the stored disbursement plus lifecycle fields) */
		this.byId = new Map();
		/** @type {any[]} newest first by createdAt, ties by insertion (newest first) */
		this.ordered = [];
		/** @type {Map<string, { hash: string, id: string }>} */
		this.idempotency = new Map();
		this.seq = 0;
		/** @type {((record: any) => void) | undefined} told of every status change (the webhooks) */
		this.onStatusChange = undefined;
		this.load();
	}

	load() {
		if (!this.file || !fs.existsSync(this.file)) return;
		const saved = JSON.parse(fs.readFileSync(this.file, 'utf8'));
		this.seq = saved.seq ?? 0;
		for (const record of saved.records ?? []) this.insert(record);
		for (const [key, value] of saved.idempotency ?? []) this.idempotency.set(key, value);
	}

	save() {
		if (!this.file) return;
		const records = [...this.ordered].reverse();
		fs.writeFileSync(
			this.file,
			JSON.stringify({ seq: this.seq, records, idempotency: [...this.idempotency] }),
		);
	}

	insert(record) {
		this.byId.set(record.id, record);
		// Newest first; a record is almost always the newest, so search from the head.
		let index = 0;
		while (index < this.ordered.length && this.ordered[index].createdAtMs > record.createdAtMs) index++;
		this.ordered.splice(index, 0, record);
	}

	/**
	 * History in bulk (benchmarks): `count` payouts `spacingMs` apart ending a minute ago, the newest `inFlight`
	 * of them pending, the rest completed. One sort instead of an insert each.
	 */
	seedHistory(count, inFlight = 0, businessId = 'biz_bench', spacingMs = 1000, endAgoMs = 60_000) {
		const end = this.now() - endAgoMs;
		for (let i = 0; i < count; i++) {
			const createdAtMs = end - (count - 1 - i) * spacingMs;
			const createdAt = new Date(createdAtMs).toISOString();
			const record = {
				id: this.nextId(),
				businessId,
				walletId: 'wal_bench',
				amount: String(1000 + (i % 5000)),
				currency: 'RWF',
				destinationType: 'mobile_money',
				destinationRef: '250788000001',
				referenceId: `hist_${end}_${i}`,
				status: i >= count - inFlight ? 'pending' : 'completed',
				description: null,
				createdAt,
				updatedAt: createdAt,
				createdAtMs,
				manualStatus: true,
				endsFailed: false,
			};
			this.byId.set(record.id, record);
			this.ordered.push(record);
		}
		this.ordered.sort((a, b) => b.createdAtMs - a.createdAtMs);
		this.save();
	}


	nextId() {
		this.seq += 1;
		return `disb_${this.seq.toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 6)}`;
	}

	/** Creates a disbursement from a validated body. `createdAtMs` lets tests build history. */
	create(body, createdAtMs = this.now()) {
		const id = this.nextId();
		const createdAt = new Date(createdAtMs).toISOString();
		const record = {
			id,
			businessId: body.businessId,
			walletId: body.walletId,
			amount: body.amount,
			currency: body.currency ?? 'RWF',
			destinationType: body.destinationType,
			destinationRef: body.destinationRef,
			...(body.destinationName !== undefined ? { destinationName: body.destinationName } : {}),
			referenceId: body.referenceId ?? null,
			status: 'pending',
			description: body.description ?? null,
			createdAt,
			updatedAt: createdAt,
			createdAtMs,
			manualStatus: false,
			endsFailed: String(body.destinationRef).endsWith(FINAL_FAILURE_SUFFIX),
		};
		this.insert(record);
		this.save();
		return record;
	}

	/** Applies the time-based lifecycle lazily: the status a record has "now". */
	refresh(record) {
		if (!this.autoAdvance || record.manualStatus) return record;
		const age = this.now() - record.createdAtMs;
		if (age >= this.finalAfterMs && (record.status === 'pending' || record.status === 'processing')) {
			record.status = record.endsFailed ? 'failed' : 'completed';
			if (record.endsFailed) record.failureReason = 'Destination rejected the transfer';
			record.updatedAt = new Date(record.createdAtMs + this.finalAfterMs).toISOString();
			this.onStatusChange?.(record);
		} else if (age >= this.processingAfterMs && record.status === 'pending') {
			record.status = 'processing';
			record.updatedAt = new Date(record.createdAtMs + this.processingAfterMs).toISOString();
		}
		return record;
	}

	get(id) {
		const record = this.byId.get(id);
		return record ? this.refresh(record) : undefined;
	}

	/** Control call: any status, including ones the API does not document. */
	setStatus(id, status, extra = {}) {
		const record = this.byId.get(id);
		if (!record) return undefined;
		record.status = status;
		record.manualStatus = true;
		record.updatedAt = new Date(this.now()).toISOString();
		Object.assign(record, extra);
		this.save();
		this.onStatusChange?.(record);
		return record;
	}

	all() {
		return this.ordered.map((record) => this.refresh(record));
	}

	reset() {
		this.byId.clear();
		this.ordered = [];
		this.idempotency.clear();
		this.save();
	}
}

/** The public shape of a record: what the API returns. */
function publicRecord(record) {
	const { createdAtMs, manualStatus, endsFailed, visibleAtMs, debited, refunded, ...visible } = record;
	return visible;
}

module.exports = { Store, publicRecord };
