/**
 * An input item as a person names it in a message: the row of their sheet (counted from 1) and n8n's
 * item index (counted from 0), so that "row 3 (item 2)" is found either way.
 */
export function rowName(itemIndex: number): string {
	return `row ${itemIndex + 1} (item ${itemIndex})`;
}
