import { SNAKE_NAMES as SNAKE } from '../nodes/Wistfare/api/dialect';

/**
 * The kinds of server the operation and trigger suites run against: each suite runs once per kind
 * (a jest project each, see jest.config.js), not as copies of the tests.
 */
export interface ServerKind {
	dialect: 'camel' | 'snake';
	strict: boolean;
}

export const SERVER_KINDS: Record<string, ServerKind> = {
	'camel-lenient': { dialect: 'camel', strict: false },
	'camel-strict': { dialect: 'camel', strict: true },
	'snake-lenient': { dialect: 'snake', strict: false },
	'snake-strict': { dialect: 'snake', strict: true },
};

/** The kind this run is for (set by the jest project); camelCase and lenient outside the projects. */
export function serverKind(): ServerKind & { name: string } {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- jest's project globals live there
	const name = (globalThis as { WISTFARE_SERVER?: string }).WISTFARE_SERVER ?? 'camel-lenient';
	return { name, ...SERVER_KINDS[name] };
}


/**
 * What the package puts on the wire for these parameters against this run's server, once it has
 * learned what it can: a strict server's dialect alone; both spellings for a lenient one.
 */
export function onTheWire(params: Record<string, unknown>): Record<string, unknown> {
	const { dialect, strict } = serverKind();
	const wire: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(params)) {
		const snake = SNAKE[name];
		if (!snake) wire[name] = value;
		else if (!strict) Object.assign(wire, { [name]: value, [snake]: value });
		else wire[dialect === 'snake' ? snake : name] = value;
	}
	return wire;
}

/** A field name as this run's server spells it. */
export function spelled(name: string): string {
	return serverKind().dialect === 'snake' ? (SNAKE[name] ?? name) : name;
}
