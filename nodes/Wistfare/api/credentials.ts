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
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, problem: `The Base URL "${raw}" is not a valid URL` };
	}
	if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
		return {
			ok: false,
			problem: `The Base URL "${raw}" uses plain http:// to a host that is not this machine: the API key would travel unencrypted. Use https://, or http:// only to localhost / 127.0.0.1 / [::1] (the local sandbox).`,
		};
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ok: false, problem: `The Base URL "${raw}" must start with https://` };
	}
	const dialect: DialectSetting = data.apiDialect === 'camel' || data.apiDialect === 'snake' ? data.apiDialect : 'auto';
	return { ok: true, value: { baseUrl: raw.replace(/\/+$/, ''), mode, dialect } };
}
