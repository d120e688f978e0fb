import type { INodeProperties } from 'n8n-workflow';

/**
 * A create's key (Shop Order Key and its kin): when set, a second execution with the same key
 * creates nothing. An operation declares one (`Operation.createKey`) and that alone places the
 * field under the node's Options and guards the operation at run time.
 */
export interface CreateKey {
	/** The parameter under `options`: saved workflows store it, so it never changes. */
	name: 'orderKey' | 'productKey' | 'comboKey';
	displayName: string;
	/** What one create makes, for the field's description and the messages. */
	guards: 'order' | 'product' | 'combo';
}

export const shopOrderKey: CreateKey = {
	name: 'orderKey',
	displayName: 'Shop Order Key',
	guards: 'order',
};
export const shopProductKey: CreateKey = {
	name: 'productKey',
	displayName: 'Shop Product Key',
	guards: 'product',
};
export const shopComboKey: CreateKey = {
	name: 'comboKey',
	displayName: 'Shop Combo Key',
	guards: 'combo',
};

function withArticle(noun: string): string {
	return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** The key's field, without its display condition. */
export function createKeyProperty({ name, displayName, guards }: CreateKey): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		placeholder: 'e.g. 5123',
		description:
			`The shop's own ID for this ${guards}, usually an expression reading it from the trigger's data. When ` +
			`set, ${withArticle(guards)} whose key an earlier execution already created is not created again (the item comes ` +
			`out as skipped), also when the shop redelivers its webhook or another worker runs it. Keys are kept in n8n's ` +
			`database for about the last 5,000 ${guards}s of this node.`,
	};
}

/** A node's operation map (resource → operation value → operation), as far as keys go. */
export type DeclaredKeys = Record<string, Record<string, { createKey?: CreateKey }>>;

/** One field per key the node's operations declare, shown only for those operations. */
export function createKeyFields(operations: DeclaredKeys): INodeProperties[] {
	const declaredBy = new Map<
		CreateKey['name'],
		{ key: CreateKey; pairs: Array<[string, string]> }
	>();
	for (const [resource, byOperation] of Object.entries(operations)) {
		for (const [operation, { createKey }] of Object.entries(byOperation)) {
			if (!createKey) continue;
			const entry = declaredBy.get(createKey.name) ?? { key: createKey, pairs: [] };
			entry.pairs.push([resource, operation]);
			declaredBy.set(createKey.name, entry);
		}
	}
	return [...declaredBy.values()].map(({ key, pairs }) => {
		const resources = [...new Set(pairs.map(([resource]) => resource))];
		const operationValues = [...new Set(pairs.map(([, operation]) => operation))];
		// One field per name (a collection holds each name once), so its condition must show it
		// for exactly the operations that declare it.
		if (resources.length * operationValues.length !== pairs.length) {
			throw new Error(
				`${key.displayName}: declared by operations one display condition cannot single out`,
			);
		}
		return {
			...createKeyProperty(key),
			displayOptions: { show: { '/resource': resources, '/operation': operationValues } },
		};
	});
}
