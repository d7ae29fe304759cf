import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { DialectSetting } from './dialect';

export const DEFAULT_BASE_URL = 'https://api-production.wistfare.com';

export type KeyMode = 'test' | 'live';

export interface WistfareCredentials {
	baseUrl: string;
	mode: KeyMode;
	dialect: DialectSetting;
}

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** What a Wistfare key starts with, its mode captured. */
const MODE_PREFIX = 'wf_(test|live)_';

export function keyMode(apiKey: string): KeyMode | undefined {
	return new RegExp(`^${MODE_PREFIX}`).exec(apiKey)?.[1] as KeyMode | undefined;
}

export const KEY_FORMAT_PROBLEM =
	'The Wistfare API key has an unknown format: keys start with "wf_test_" (test mode) or "wf_live_" (live mode). Copy the key again from the Wistfare dashboard.';

/**
 * A key as a Wistfare key can be: a mode prefix, no whitespace inside (around it is trimmed). A
 * pattern's source, not a RegExp: the credential panel's display condition takes the source, and
 * nodes keep no objects in module scope.
 */
export const WELL_FORMED_KEY = `^\\s*${MODE_PREFIX}\\S*\\s*$`;

/** Why this key cannot be a Wistfare key, or undefined. Never contains the key. */
export function keyProblem(apiKey: unknown): string | undefined {
	return typeof apiKey === 'string' && new RegExp(WELL_FORMED_KEY).test(apiKey) ? undefined : KEY_FORMAT_PROBLEM;
}

/**
 * What is wrong with a Base URL, or undefined. The URL itself is shown only as its scheme and host:
 * a key pasted into the field (its path, query or user part) must not reach an error, the execution
 * data or an error workflow.
 */
export function baseUrlProblem(raw: string): string | undefined {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return `The Base URL is not a valid URL: it should look like ${DEFAULT_BASE_URL}`;
	}
	const shown = `${url.protocol}//${url.host}`;
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The Base URL must start with https:// (like ${DEFAULT_BASE_URL})`;
	if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
		return `The Base URL (${shown}) uses plain http:// to a host that is not this machine: the API key would travel unencrypted. Use https://, or http:// only to localhost / 127.0.0.1 / [::1] (the local sandbox).`;
	}
	if (url.username || url.password || url.search || url.hash || new RegExp(MODE_PREFIX).test(raw)) {
		return `The Base URL (${shown}…) carries more than a server's address (a user name, a query, or something that looks like an API key): give only the server, like ${DEFAULT_BASE_URL}, and the key in the API Key field`;
	}
	return undefined;
}

/**
 * Checks a credential before the key is attached to any request. Returns the problem in words, or
 * the parsed credential. Messages never contain the key itself.
 */
export function checkCredentials(
	data: ICredentialDataDecryptedObject,
): { ok: true; value: WistfareCredentials } | { ok: false; problem: string } {
	const apiKey = typeof data.apiKey === 'string' ? data.apiKey.trim() : '';
	const mode = keyMode(apiKey);
	if (!mode || keyProblem(apiKey)) return { ok: false, problem: KEY_FORMAT_PROBLEM };
	const raw = typeof data.baseUrl === 'string' && data.baseUrl.trim() !== '' ? data.baseUrl.trim() : DEFAULT_BASE_URL;
	const problem = baseUrlProblem(raw);
	if (problem) return { ok: false, problem };
	const dialect: DialectSetting = data.apiDialect === 'camel' || data.apiDialect === 'snake' ? data.apiDialect : 'auto';
	return { ok: true, value: { baseUrl: raw.replace(/\/+$/, ''), mode, dialect } };
}
