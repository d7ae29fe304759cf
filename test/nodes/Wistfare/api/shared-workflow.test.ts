import { sharedWorkflowWarning } from '../../../../nodes/Wistfare/api/shared-workflow';

describe('both triggers in one workflow', () => {
	test('each marks the workflow once; the second kind is warned, naming the other node', () => {
		const global = {};
		expect(sharedWorkflowWarning(global, 'polling', 'Outcomes (poll)')).toBeUndefined();
		expect(sharedWorkflowWarning(global, 'polling', 'Outcomes (poll)')).toBeUndefined();
		expect(sharedWorkflowWarning(global, 'webhook', 'Outcomes (webhook)')).toBe(
			'This workflow also holds a Wistfare Trigger ("Outcomes (poll)"): n8n saves a workflow\'s trigger memory whole, so the two can overwrite each other\'s and fire an outcome twice. Put each trigger in a workflow of its own.',
		);
		expect(sharedWorkflowWarning(global, 'polling', 'Outcomes (poll)')).toMatch(/also holds a Wistfare Webhook Trigger \("Outcomes \(webhook\)"\)/);
	});
});
