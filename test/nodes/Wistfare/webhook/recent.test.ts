import { remember, emptyMemory, FINGERPRINT_CHARS } from '../../../../nodes/Wistfare/webhook/memory';
import { inTurn, MAX_RECENT_NODES, RECENT_IDLE_MS, recentNodes, recentOf, trimmed } from '../../../../nodes/Wistfare/webhook/recent';
import { virtualClock } from '../../../virtual-clock';

const DAY = 86_400_000;

describe('the webhook trigger\'s recent memory in the process: bounded', () => {
	test('at most MAX_RECENT_NODES trigger nodes; the one called least lately goes first', () => {
		const first = recentOf('node-first');
		for (let i = 0; i < MAX_RECENT_NODES + 10; i++) recentOf(`node-${i}`);
		expect(recentNodes()).toBe(MAX_RECENT_NODES);
		expect(recentOf('node-first')).not.toBe(first);
	});

	test('a node idle for RECENT_IDLE_MS is dropped', async () => {
		const kept = recentOf('idle-node');
		await virtualClock.sleep(RECENT_IDLE_MS + 1);
		recentOf('another-node');
		expect(recentOf('idle-node')).not.toBe(kept);
	});

	test('at most RECENT_MAX_OUTCOMES outcomes a node: the oldest days go, today stays whole', () => {
		let memory = emptyMemory();
		const start = Date.parse('2026-06-01T12:00:00Z');
		for (let day = 0; day < 3; day++) for (let i = 0; i < 40; i++) memory = remember(memory, `p${day}-${i}:completed`, start + day * DAY);
		const cut = trimmed(memory, 50);
		const count = Object.values(cut.days).reduce((sum, text) => sum + text.length / FINGERPRINT_CHARS, 0);
		expect(count).toBe(40);
		expect(Object.keys(cut.days)).toEqual([String(Math.floor((start + 2 * DAY) / DAY))]);
	});

	test('calls for one payout take turns; for other payouts they run side by side', async () => {
		const recent = recentOf('turns');
		const order: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let waited = 0;
		const first = inTurn(recent, 'p1', async () => { order.push('first start'); await gate; order.push('first end'); }, () => waited++);
		const second = inTurn(recent, 'p1', async () => { order.push('second'); }, () => waited++);
		const other = inTurn(recent, 'p2', async () => { order.push('other'); }, () => waited++);
		await other;
		release();
		await Promise.all([first, second]);
		expect(order).toEqual(['first start', 'other', 'first end', 'second']);
		expect(waited).toBe(1);
		expect(recent.turns.size).toBe(0);
	});
});
