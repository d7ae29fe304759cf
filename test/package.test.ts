/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never in the package: it reads package.json and dist from disk */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WistfareApi } from '../credentials/WistfareApi.credentials';
import { Wistfare } from '../nodes/Wistfare/Wistfare.node';
import { WistfareWebhookTrigger } from '../nodes/Wistfare/WistfareWebhookTrigger.node';
import { WistfareTrigger } from '../nodes/Wistfare/WistfareTrigger.node';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package', () => {
	test('is a community node package with no runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-wistfare');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// No source maps: they point to TypeScript files the package does not ship.
		expect(pkg.files).toEqual(['dist', '!dist/**/*.map', 'CHANGELOG.md']);
		// `main` names a file the build puts in the package.
		expect(pkg.main).toMatch(/^dist\//);
		expect(pkg.n8n.nodes).toContain(pkg.main);
		expect(pkg.n8n).toEqual({
			n8nNodesApiVersion: 1,
			strict: true,
			credentials: ['dist/credentials/WistfareApi.credentials.js'],
			nodes: [
				'dist/nodes/Wistfare/Wistfare.node.js',
				'dist/nodes/Wistfare/WistfareTrigger.node.js',
				'dist/nodes/Wistfare/WistfareWebhookTrigger.node.js',
			],
		});
		for (const version of Object.values(pkg.devDependencies as Record<string, string>)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
	});

	test('every listed file has its source, icons and codex beside it', () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[]) {
			expect(existsSync(join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
		}
		// The three nodes share one folder and one icon pair (as n8n's Stripe and Stripe Trigger do).
		for (const icon of ['wistfare.svg', 'wistfare.dark.svg']) expect(existsSync(join(root, 'nodes/Wistfare', icon))).toBe(true);
		for (const codex of ['nodes/Wistfare/Wistfare.node.json', 'nodes/Wistfare/WistfareTrigger.node.json', 'nodes/Wistfare/WistfareWebhookTrigger.node.json']) {
			const parsed = JSON.parse(readFileSync(join(root, codex), 'utf8'));
			expect(parsed.categories).toEqual(['Finance & Accounting']);
			expect(parsed.alias).toEqual(expect.arrayContaining(['payout', 'mobile money', 'MoMo', 'disbursement']));
		}
	});
});

describe('node descriptions', () => {
	test('Wistfare: the disbursement resource with Initiate, Get, List; usable as a tool', () => {
		const { description } = new Wistfare();
		expect(description).toMatchObject({ name: 'wistfare', displayName: 'Wistfare', usableAsTool: true, inputs: ['main'], outputs: ['main'] });
		expect(description.credentials).toEqual([{ name: 'wistfareApi', required: true }]);
		expect(description.description).toMatch(/^Pay /);
		const subtitle = (operation: string) =>
			// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- evaluates our own subtitle expression, as n8n would
			new Function('$parameter', `return ${(description.subtitle as string).replace(/^=\{\{(.*)\}\}$/s, '$1')}`)({ operation, resource: 'disbursement' });
		expect(['initiate', 'get', 'list'].map(subtitle)).toEqual(['Initiate disbursement', 'Get disbursement', 'List disbursements']);
		const operation = description.properties.find((property) => property.name === 'operation');
		expect(operation?.options?.map((option) => (option as { value: string }).value).sort()).toEqual(['get', 'initiate', 'list']);
		const names = new Set(description.properties.map((property) => property.name));
		for (const name of ['businessId', 'walletId', 'amount', 'destinationType', 'destinationRef', 'referenceId', 'additionalFields', 'disbursementId', 'returnAll', 'limit', 'filters']) {
			expect(names).toContain(name);
		}
	});

	test('Wistfare: picking the Custom API Call that n8n adds (its credential authenticates) shows what it bypasses', () => {
		const { description } = new Wistfare();
		for (const field of ['resource', 'operation']) {
			const notice = description.properties.find((property) => property.type === 'notice' && property.displayOptions?.show?.[field]?.includes('__CUSTOM_API_CALL__'));
			expect(notice?.displayName).toMatch(/pay twice.*funds check.*Max Amount Per Payout/);
		}
	});

	test('Wistfare Trigger: polling, no inputs, not a tool', () => {
		const { description } = new WistfareTrigger();
		expect(description).toMatchObject({ name: 'wistfareTrigger', displayName: 'Wistfare Trigger', polling: true, inputs: [], outputs: ['main'] });
		expect(description.usableAsTool).toBeUndefined();
		expect(description.properties.map((property) => property.name)).toEqual(['event', 'businessId', 'statuses', 'options']);
		// The panel says what Fetch Test Event returns (a real payout), not n8n's "a single mock event".
		const help = (description.triggerPanel as { executionsHelp: { active: string; inactive: string } }).executionsHelp;
		for (const text of [help.active, help.inactive]) {
			expect(text).toContain('real');
			expect(text).not.toContain('mock event');
			expect(text).toContain('Poll Times');
		}
	});

	test.each([
		['Wistfare Trigger', () => new WistfareTrigger(), 'On payout status changed'],
		['Wistfare Webhook Trigger', () => new WistfareWebhookTrigger(), 'On payout outcome reported'],
	])('%s: the node creator lists its event by name (an "Event" field with actions), not as "On new … event"', (_name, make, action) => {
		// n8n 2.41's node creator (workflows.store: the trigger's field named Event, Events or Trigger On).
		const event = make().description.properties.find((property) => ['event', 'events', 'trigger on'].includes(property.displayName.toLowerCase()));
		expect(event?.options?.map((option) => (option as { action?: string }).action)).toEqual([action]);
	});

	test('Wistfare Webhook Trigger: one POST webhook answered on receipt, no inputs, not a tool', () => {
		const { description } = new WistfareWebhookTrigger();
		expect(description).toMatchObject({ name: 'wistfareWebhookTrigger', displayName: 'Wistfare Webhook Trigger', inputs: [], outputs: ['main'] });
		expect(description.polling).toBeUndefined();
		expect(description.usableAsTool).toBeUndefined();
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'wistfare' }]);
		expect(description.properties.map((property) => property.name)).toEqual(['event', 'registration', 'businessId', 'statuses', 'secret', 'options']);
		expect(description.properties.find((property) => property.name === 'secret')?.typeOptions).toEqual({ password: true });
	});

	test('credential: Wistfare API', () => {
		expect(new WistfareApi().name).toBe('wistfareApi');
	});
});

test('Initiate: the number fields in the panel have the bounds the node checks', async () => {
	const { LIMITS, description } = await import('../nodes/Wistfare/actions/disbursement/initiate/description');
	type NumberField = { name: string; default: number; typeOptions?: { minValue?: number; maxValue?: number } };
	const optionsOf = (collection: string) => description.find((property) => property.name === collection)!.options as NumberField[];
	const additional = optionsOf('additionalFields');
	// Wherever the panel puts a number field: beside the collections, or in Advanced Options.
	const fields = [...(description as unknown as NumberField[]), ...optionsOf('advancedOptions')];
	for (const [name, limit] of Object.entries(LIMITS)) {
		const field = fields.find((option) => option.name === name)!;
		expect([name, field.typeOptions?.minValue, field.typeOptions?.maxValue, field.default]).toEqual([name, limit.min, limit.max, limit.default]);
	}
	// The panel's default currency is the one the package assumes when Wistfare names none.
	const { DEFAULT_CURRENCY } = await import('../nodes/Wistfare/payout/currency');
	expect(additional.find((option) => option.name === 'currency')!.default).toBe(DEFAULT_CURRENCY);
});
