/**
 * What the editor should show for each resource and operation of this package's nodes, read from
 * the built descriptions in dist/ (the files package.json names), so that the browser tests and
 * the screenshots follow every new operation or parameter without being edited.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	NodeHelpers,
	type ICredentialType,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { COMMUNITY_TYPE_PREFIX, REPO_ROOT, type WorkflowFile, type WorkflowNode } from './n8n-host';

/** A dropdown as the editor lists it: each option's name, then its description if it has one. */
export interface Dropdown {
	name: string;
	label: string;
	options: string[];
	/** The options as described, to choose them by value. */
	choices: INodePropertyOptions[];
}

/** A list of rows (Products, Parts): the button that adds one, and the labels of a new row. */
export interface RowList {
	label: string;
	addButton: string;
	rowLabels: string[];
}

export interface OperationView {
	node: INodeTypeDescription;
	resource: INodePropertyOptions;
	operation: INodePropertyOptions;
	/** Labels of the parameters the panel shows, as shown above their inputs. */
	labels: string[];
	dropdowns: Dropdown[];
	rowLists: RowList[];
}

type Manifest = { n8n: { nodes: string[]; credentials: string[] } };

/** Each file's exported class, instantiated: what n8n loads. */
function loadBuilt<T>(files: string[]): T[] {
	return files.map((file) => {
		// By path, as n8n loads them: dist/ is CommonJS.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require(path.join(REPO_ROOT, file)) as Record<string, new () => T>;
		const exported = Object.values(module);
		return new exported[0]();
	});
}

function manifest(): Manifest {
	return JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
}

export function builtNodes(): INodeTypeDescription[] {
	return loadBuilt<{ description: INodeTypeDescription }>(manifest().n8n.nodes).map(
		(node) => node.description,
	);
}

export function builtCredentials(): ICredentialType[] {
	return loadBuilt<ICredentialType>(manifest().n8n.credentials);
}

function optionList(property: INodeProperties): INodePropertyOptions[] {
	return (property.options ?? []) as INodePropertyOptions[];
}

/** The node's parameters as the editor resolves them: defaults filled in, hidden ones dropped. */
function resolve(node: INodeTypeDescription, values: INodeParameters): INodeParameters {
	return (
		NodeHelpers.getNodeParameters(node.properties, values, true, false, { typeVersion: 1 }, node) ??
		{}
	);
}

function visibleProperties(node: INodeTypeDescription, values: INodeParameters): INodeProperties[] {
	const resolved = resolve(node, values);
	return node.properties.filter((property) =>
		NodeHelpers.displayParameter(resolved, property, { typeVersion: 1 }, node),
	);
}

/**
 * What the panel shows once `resource` and `operation` are chosen on a node whose other
 * parameters are `current` (a node keeps the values that stay visible).
 */
export function operationView(
	node: INodeTypeDescription,
	resource: INodePropertyOptions,
	operation: INodePropertyOptions,
	current: WorkflowNode['parameters'] = {},
): OperationView {
	const values = {
		...current,
		resource: resource.value,
		operation: operation.value,
	} as INodeParameters;
	const shown = visibleProperties(node, values);
	const dropdowns = shown
		.filter((property) => property.type === 'options')
		.map((property) => ({
			name: property.name,
			label: property.displayName,
			options: optionList(property).map(({ name, description }) =>
				description ? `${name}\n${description}` : name,
			),
			choices: optionList(property),
		}));
	// Every parameter shows a label above its input, collections included; a notice is only text.
	const labels = shown
		.filter((property) => property.type !== 'notice')
		.map((property) => property.displayName);
	const rowLists = shown
		.filter((property) => property.type === 'fixedCollection' && property.options?.length === 1)
		.map((property) => ({
			label: property.displayName,
			addButton: property.placeholder ?? '',
			rowLabels: ((property.options?.[0] as { values?: INodeProperties[] }).values ?? []).map(
				(row) => row.displayName,
			),
		}));
	return { node, resource, operation, labels, dropdowns, rowLists };
}

/** One choice of a dropdown that changes which parameters the panel shows (an input mode). */
export interface ModeChoice {
	dropdown: Dropdown;
	/** The option's name, as a user picks it. */
	option: string;
	/** What the panel shows with this option chosen. */
	view: OperationView;
	/** Labels another option of the same dropdown shows, and this one must not. */
	hidden: string[];
}

/**
 * The dropdowns of a view that switch parameters on and off (Products Input, Parts Input…),
 * every option of each, with what the panel shows then; a dropdown that only sets a value
 * (Status) is left out. Read from the descriptions, so a new input mode is checked as is.
 */
export function modeChoices(
	view: OperationView,
	current: WorkflowNode['parameters'] = {},
): ModeChoice[] {
	return view.dropdowns
		.filter((dropdown) => dropdown.name !== 'resource' && dropdown.name !== 'operation')
		.flatMap((dropdown) => {
			const choices = dropdown.choices.map((option) => ({
				dropdown,
				option: option.name,
				view: operationView(view.node, view.resource, view.operation, {
					...current,
					[dropdown.name]: option.value,
				}),
			}));
			const allLabels = new Set(choices.flatMap((choice) => choice.view.labels));
			const switches = choices.some((choice) => choice.view.labels.length !== allLabels.size);
			return switches
				? choices.map((choice) => ({
						...choice,
						hidden: [...allLabels].filter((label) => !choice.view.labels.includes(label)),
					}))
				: [];
		});
}

/** Every resource and operation of a node, with what the panel shows for each. */
export function operationViews(node: INodeTypeDescription): OperationView[] {
	const resources = node.properties.find((property) => property.name === 'resource');
	if (!resources) throw new Error(`${node.displayName} has no Resource parameter`);
	return optionList(resources).flatMap((resource) =>
		visibleProperties(node, { resource: resource.value })
			.filter((property) => property.name === 'operation')
			.flatMap(optionList)
			.map((operation) => operationView(node, resource, operation)),
	);
}

/** `Salekit › Order › Create` */
export function viewTitle({ node, resource, operation }: OperationView): string {
	return `${node.displayName} › ${resource.name} › ${operation.name}`;
}

/** `salekit-order-create`: the view's screenshot name. */
export function viewSlug({ node, resource, operation }: OperationView): string {
	return `${node.name}-${resource.value}-${operation.value}`;
}

export function isPackageNode(node: WorkflowNode): boolean {
	return node.type.startsWith(COMMUNITY_TYPE_PREFIX);
}

/**
 * The example node to look at a view on: one already set to that resource and operation if an
 * example has it, else the first node of that type (switched to it in the panel).
 */
export function exampleNodeFor(
	examples: WorkflowFile[],
	view: OperationView,
): { workflow: WorkflowFile; node: WorkflowNode } {
	const candidates = examples.flatMap((workflow) =>
		workflow.nodes
			.filter((node) => node.type === `${COMMUNITY_TYPE_PREFIX}${view.node.name}`)
			.map((node) => ({ workflow, node })),
	);
	const exact = candidates.find(
		({ node }) =>
			node.parameters.resource === view.resource.value &&
			node.parameters.operation === view.operation.value,
	);
	const found = exact ?? candidates[0];
	if (!found) throw new Error(`No example workflow has a ${view.node.displayName} node`);
	return found;
}
