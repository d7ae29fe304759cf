import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** The Business ID field, shared by the operations and the trigger; each says what it does with it. */
export function businessIdField(description: string, displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'biz_123',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}
