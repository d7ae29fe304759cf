import type { IDataObject } from 'n8n-workflow';

/**
 * Both triggers in one workflow: n8n saves a workflow's static data whole (a poll, a webhook call),
 * so the polling trigger's state and the webhook trigger's memory can be saved over each other, and an
 * outcome can fire again. Each trigger marks the workflow's global static data with its kind and name
 * (once) and warns when the other kind is there too.
 */
export type TriggerKind = 'polling' | 'webhook';

const MARK = { polling: 'wistfarePollingTrigger', webhook: 'wistfareWebhookTrigger' } as const;
const LABEL = { polling: 'a Wistfare Trigger', webhook: 'a Wistfare Webhook Trigger' } as const;

/** Marks `global` (the workflow's global static data) with this trigger; a warning when the other kind marked it. */
export function sharedWorkflowWarning(global: IDataObject, kind: TriggerKind, nodeName: string): string | undefined {
	if (global[MARK[kind]] !== nodeName) global[MARK[kind]] = nodeName;
	const other: TriggerKind = kind === 'polling' ? 'webhook' : 'polling';
	const theirs = global[MARK[other]];
	if (typeof theirs !== 'string') return undefined;
	return `This workflow also holds ${LABEL[other]} ("${theirs}"): n8n saves a workflow's trigger memory whole, so the two can overwrite each other's and fire an outcome twice. Put each trigger in a workflow of its own.`;
}
