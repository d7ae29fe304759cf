import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { clock } from './clock';
import { checkCredentials, type WistfareCredentials } from './credentials';
import { dialectFromRejection, toWire, type Dialect } from './dialect';
import { retryAfterMs } from './rate-limit';
import { apiErrorFromResponse, transportError } from './errors';
import type { RequestPacing } from './pace';
import type { RequestOptions, WistfareSession } from './session';

export type WistfareContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions | IHookFunctions;

export const CREDENTIAL_TYPE = 'wistfareApi';

/** Three tries in all on 5xx and transport failures, as the vendor SDKs do (GET only). */
export const MAX_ATTEMPTS = 3;
/**
 * A 429 means the server did nothing, so it is always safe to wait and send again. Executions that
 * share the account's limit may each see many before their pace settles.
 */
export const MAX_RATE_LIMIT_RETRIES = 20;
const BACKOFF_BASE_MS = 400;
/** A Retry-After longer than this is not waited for: the error goes to the user instead. */
export const MAX_RETRY_AFTER_SECONDS = 30;
export const REQUEST_TIMEOUT_MS = 30_000;

interface FullResponse {
	statusCode: number;
	headers?: IDataObject;
	body: unknown;
}

export interface WistfareRequest extends RequestOptions {
	method: IHttpRequestMethods;
	path: string;
	/** In the package's (camelCase) names: spelled for the server's dialect when sent. */
	qs?: IDataObject;
	/** In the package's (camelCase) names: spelled for the server's dialect when sent. */
	body?: IDataObject;
}

function signalOf(context: WistfareContext): AbortSignal | undefined {
	const withSignal = context as Partial<IExecuteFunctions>;
	return typeof withSignal.getExecutionCancelSignal === 'function' ? withSignal.getExecutionCancelSignal() : undefined;
}

/**
 * The package's one HTTP path.
 *
 * Retries only what cannot pay twice: a 429 always (the server did no work), a 5xx or a lost answer
 * only for a GET. A POST that got no clear answer is the caller's to reconcile: it is never sent
 * again here.
 *
 * The wire dialect: the credential may fix it; otherwise, until the server has shown which one it
 * speaks, differing names go out in both spellings. A strict server then names the spelling it does
 * not know in a 400/422: a GET is sent again in its dialect at once, a POST's rejection goes to the
 * caller with `context.dialect` set (it created nothing, but the caller looks the reference up first).
 */
export async function wistfareRequest<T>(this: WistfareContext, request: WistfareRequest): Promise<T> {
	// Step 1: the credential, checked before the key is attached to anything.
	const node = this.getNode();
	// Without a session of the caller's, what this request learns (the dialect) lasts for it alone.
	const session: WistfareSession = request.session ?? {};
	const credentials = await credentialsOf.call(this, session, request.itemIndex);
	const fixed = credentials.dialect === 'auto' ? undefined : credentials.dialect;
	const retriesFailures = request.method === 'GET' && !request.oneTry;
	const hasNames = Boolean(request.qs || request.body);
	const signal = signalOf(this);
	const { pacing } = session;
	const backoff = (failures: number) => clock.sleep(BACKOFF_BASE_MS * 2 ** (failures - 1), signal);
	let failures = 0;
	let rateLimits = 0;
	for (;;) {
		// Step 2: send, paced when the session is.
		const spelling = fixed ?? session.dialect;
		const { response, failure, sentAt } = await sendOnce.call(this, httpOptions(request, credentials, spelling), pacing);

		// Step 3: no answer. Only a GET is tried again.
		if (response === undefined) {
			if (++failures < MAX_ATTEMPTS && retriesFailures) {
				await backoff(failures);
				continue;
			}
			throw transportError(node, failure, `${request.method} ${request.path}`, request.itemIndex);
		}
		const { statusCode } = response;
		const waitMs = retryAfterMs(response.headers);
		if (statusCode !== 429) pacing?.answered(sentAt);
		if (statusCode >= 200 && statusCode < 300) return response.body as T;

		// Step 4: a 429 is waited out and sent again, whatever the method.
		if (statusCode === 429 && !request.oneTry && ++rateLimits <= MAX_RATE_LIMIT_RETRIES) {
			if (waitMs <= MAX_RETRY_AFTER_SECONDS * 1000) {
				await (pacing ? pacing.refused(waitMs, sentAt, signal) : clock.sleep(waitMs, signal));
				continue;
			}
		}

		// Step 5: a strict server named the spelling it does not know. (A caller with its own plan, one
		// try, learns from a 429 how long the server asked it to wait.)
		const error = apiErrorFromResponse(node, statusCode, response.body, response.headers, request.itemIndex);
		if (statusCode === 429) error.context = { ...error.context, retryAfterMs: waitMs };
		const learned = (statusCode === 400 || statusCode === 422) && spelling === undefined && hasNames ? learnedDialect(error, request) : undefined;
		if (learned) {
			session.dialect = learned;
			if (request.method === 'GET') continue;
			error.context = { ...error.context, dialect: learned };
			throw error;
		}

		// Step 6: a 5xx on a GET is tried again; anything else is the caller's.
		if (statusCode >= 500 && ++failures < MAX_ATTEMPTS && retriesFailures) {
			await backoff(failures);
			continue;
		}
		throw error;
	}
}

/** The credential as checked once per session: a problem with it stops the request before anything is sent. */
async function credentialsOf(this: WistfareContext, session: WistfareSession, itemIndex?: number): Promise<WistfareCredentials> {
	if (session.credentials) return session.credentials;
	const checked = checkCredentials(await this.getCredentials(CREDENTIAL_TYPE));
	if (!checked.ok) throw new NodeOperationError(this.getNode(), checked.problem, { itemIndex });
	session.credentials = checked.value;
	return checked.value;
}

/** The request as n8n's HTTP helper takes it, its names spelled for `spelling` (both, while unknown). */
function httpOptions(request: WistfareRequest, credentials: WistfareCredentials, spelling: Dialect | undefined): IHttpRequestOptions {
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
	return {
		method: request.method,
		baseURL: credentials.baseUrl,
		url: request.path,
		qs: request.qs ? toWire(request.qs, spelling) : undefined,
		body: request.body ? toWire(request.body, spelling) : undefined,
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? REQUEST_TIMEOUT_MS,
	};
}

/** One send, paced when there is a pace: the answer, or the failure when none came. */
async function sendOnce(this: WistfareContext, options: IHttpRequestOptions, pacing: RequestPacing | undefined) {
	let response: FullResponse | undefined;
	let failure: unknown;
	const sentAt = pacing ? await pacing.acquire() : clock.now();
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as FullResponse;
	} catch (error) {
		failure = error;
	} finally {
		pacing?.release();
	}
	return { response, failure, sentAt };
}

/** The dialect a 400/422 names, judged against the names that went out (in the package's spelling). */
function learnedDialect(error: NodeApiError, request: WistfareRequest): Dialect | undefined {
	// toWire leaves out empty values: these are the names that were sent.
	const sent = Object.keys(toWire({ ...request.qs, ...request.body }, 'camel'));
	return dialectFromRejection((error.context as { details?: unknown }).details, sent);
}
