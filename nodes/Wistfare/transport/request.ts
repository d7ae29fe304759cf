import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { checkCredentials } from './credentials';
import { apiErrorFromResponse, transportError } from './errors';
import type { RequestOptions } from './types';

export type WistfareContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'wistfareApi';

/** Three tries in all on 5xx and transport failures, as the vendor SDKs do. */
export const MAX_ATTEMPTS = 3;
/** A 429 means the server did nothing, so it is always safe to wait and send again, a few times. */
export const MAX_RATE_LIMIT_RETRIES = 5;
const BACKOFF_BASE_MS = 400;
/** A Retry-After longer than this is not waited for: the error goes to the user instead. */
export const MAX_RETRY_AFTER_SECONDS = 30;
const REQUEST_TIMEOUT_MS = 30_000;

interface FullResponse {
	statusCode: number;
	headers?: IDataObject;
	body: unknown;
}

export interface WistfareRequest extends RequestOptions {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

function retryAfterSeconds(headers: IDataObject | undefined): number {
	const raw = headers?.['retry-after'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value >= 0 ? value : 1;
}

/**
 * The package's one HTTP path. Retries what is safe to retry: a 429 always (the server did no work),
 * 5xx and transport failures only for GET or for a POST that carries an Idempotency-Key, since a
 * blind retry of a payout can pay twice.
 */
export async function wistfareRequest<T>(this: WistfareContext, request: WistfareRequest): Promise<T> {
	const node = this.getNode();
	const checked = checkCredentials(await this.getCredentials(CREDENTIAL_TYPE));
	if (!checked.ok) {
		throw new NodeOperationError(node, checked.problem, { itemIndex: request.itemIndex });
	}
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: checked.value.baseUrl,
		url: request.path,
		qs: request.qs,
		body: request.body,
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? REQUEST_TIMEOUT_MS,
	};
	const retriesUnsafeFailures = request.method === 'GET' || Boolean(request.idempotencyKey);
	const what = `${request.method} ${request.path}`;

	let failures = 0;
	let rateLimits = 0;
	for (;;) {
		let response: FullResponse | undefined;
		let failure: unknown;
		await request.gate?.acquire();
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as FullResponse;
		} catch (error) {
			failure = error;
		} finally {
			request.gate?.release();
		}
		if (response === undefined) {
			if (++failures < MAX_ATTEMPTS && retriesUnsafeFailures) {
				await sleep(BACKOFF_BASE_MS * 2 ** (failures - 1));
				continue;
			}
			throw transportError(node, failure, what, request.itemIndex);
		}
		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			request.gate?.succeeded();
			return response.body as T;
		}
		if (statusCode === 429 && ++rateLimits <= MAX_RATE_LIMIT_RETRIES) {
			const wait = retryAfterSeconds(response.headers);
			if (wait <= MAX_RETRY_AFTER_SECONDS) {
				if (request.gate) request.gate.rateLimited(wait * 1000);
				else await sleep(wait * 1000);
				continue;
			}
		}
		if (statusCode >= 500 && ++failures < MAX_ATTEMPTS && retriesUnsafeFailures) {
			await sleep(BACKOFF_BASE_MS * 2 ** (failures - 1));
			continue;
		}
		throw apiErrorFromResponse(node, statusCode, response.body, response.headers, request.itemIndex);
	}
}
