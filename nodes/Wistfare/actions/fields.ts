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

/** A parameter's label as the panel shows it, found in the descriptions (collections included). */
export function labelOf(properties: INodeProperties[], name: string): string {
	for (const property of properties) {
		if (property.name === name) return property.displayName;
		const nested = (property.options ?? []).filter((option): option is INodeProperties => 'displayName' in option && 'type' in option);
		const found = nested.length ? labelOf(nested, name) : undefined;
		if (found !== undefined && found !== name) return found;
	}
	return name;
}
