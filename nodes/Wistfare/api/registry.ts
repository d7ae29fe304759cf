/**
 * The package's one module-level object (test/no-module-state.test.ts allows it by name): what the
 * executions and calls of one n8n process share, in named spaces. Nothing in it is needed to be
 * correct across processes (each has its own); it saves work and closes races within one process.
 * Each space bounds what it keeps (by lifetime, size or age): see its owner.
 */
const spaces = new Map<string, Map<string, unknown>>();

/** The space `name`, made on first use; its owner decides what it keeps and for how long. */
export function registrySpace<T>(name: string): Map<string, T> {
	let space = spaces.get(name);
	if (!space) {
		space = new Map();
		spaces.set(name, space);
	}
	return space as Map<string, T>;
}
