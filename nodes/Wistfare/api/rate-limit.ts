import type { IDataObject } from 'n8n-workflow';

/** A 429 without a Retry-After in seconds is asked again after a second (the vendor's Python SDK would wait 5 s; a second is enough to ask again). */
const DEFAULT_WAIT_MS = 1000;

/**
 * How long a 429 asks to wait: its Retry-After, in seconds as the contract gives it. Other
 * rate-limit headers are not read (see pace.ts, rule 5).
 */
export function retryAfterMs(headers: IDataObject | undefined): number {
	const raw = headers?.['retry-after'];
	const text = String((Array.isArray(raw) ? raw[0] : raw) ?? '').trim();
	return /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : DEFAULT_WAIT_MS;
}
