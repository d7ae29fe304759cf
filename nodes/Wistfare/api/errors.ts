import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { dialectFromRejection } from './dialect';

export interface WistfareErrorBody {
	code?: string;
	message?: string;
	details?: Record<string, unknown>;
}

/** `details` as "field: message" lines, whatever shape the server used. */
export function describeDetails(details: unknown): string[] {
	if (!details || typeof details !== 'object') return [];
	return Object.entries(details as Record<string, unknown>).map(([field, messages]) => {
		const text = Array.isArray(messages) ? messages.map(String).join('; ') : String(messages);
		return `${field}: ${text}`;
	});
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/**
 * A Wistfare error answer as a NodeApiError: Wistfare's code, message, field details and request id,
 * built from the response body only (the request, and so the key, is never part of it).
 */
export function apiErrorFromResponse(
	node: INode,
	statusCode: number,
	body: unknown,
	headers: IDataObject | undefined,
	itemIndex?: number,
): NodeApiError {
	const envelope = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const error = (envelope.error && typeof envelope.error === 'object' ? envelope.error : {}) as WistfareErrorBody;
	const code = typeof error.code === 'string' ? error.code : `http_${statusCode}`;
	const requestId =
		(typeof envelope.request_id === 'string' ? envelope.request_id : undefined) ??
		headerValue(headers, 'x-request-id');
	const message = typeof error.message === 'string' && error.message ? error.message : `HTTP ${statusCode}`;
	const detailLines = describeDetails(error.details);
	const description = [
		`Wistfare error code: ${code}`,
		...detailLines,
		...(requestId ? [`Request id: ${requestId} (quote it to Wistfare support)`] : []),
		...(statusCode === 401 ? ['Check the API key in the "Wistfare API" credential.'] : []),
		...(statusCode === 403 ? ['The key may not act on this business or wallet.'] : []),
		...(dialectFromRejection(error.details)
			? ['The server does not know these field names: set the credential\'s API Dialect to Automatic.']
			: []),
	].join('\n');
	const safeBody: JsonObject = {
		code,
		message,
		...(error.details ? { details: error.details as JsonObject } : {}),
		...(requestId ? { requestId } : {}),
	};
	const apiError = new NodeApiError(node, safeBody, {
		message: `Wistfare: ${message} [${code}]`,
		description,
		httpCode: String(statusCode),
		itemIndex,
	});
	apiError.context = { ...apiError.context, code, requestId, details: error.details as IDataObject };
	return apiError;
}

/** A request that got no answer (connection dropped, timeout): nothing of the request is kept. */
export function transportError(
	node: INode,
	cause: unknown,
	what: string,
	itemIndex?: number,
): NodeApiError {
	const reason = describeTransportFailure(cause);
	const error = new NodeApiError(
		node,
		{ code: 'network_error', reason },
		{
			description:
				'No response came back from Wistfare. Check the Base URL in the credential and your network.',
			itemIndex,
		},
	);
	// Set after construction: NodeApiError replaces messages of known network codes with its own text.
	error.message = `Wistfare did not answer ${what}: ${reason}`;
	error.context = { ...error.context, code: 'network_error' };
	return error;
}

export function describeTransportFailure(cause: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = cause;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = cause instanceof Error ? cause.message : String(cause);
	return /timeout/i.test(message) ? 'timeout' : /hang up|reset|closed/i.test(message) ? 'connection closed' : 'no response';
}

/**
 * Any failure as an error n8n shows: Wistfare's and our own errors as they are, anything else (a
 * bug, a thrown string) wrapped for the node, with the item when there is one.
 */
export function asN8nError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, itemIndex === undefined ? {} : { itemIndex });
}
