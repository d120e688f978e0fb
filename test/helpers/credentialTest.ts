import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { credentialTypes, CredentialsHelper } from './engine';

export interface CredentialVerdict {
	status: 'OK' | 'Error';
	message: string;
}

const lookUp = (data: unknown, path: string): unknown =>
	path
		.split('.')
		.reduce<unknown>((parent, key) => (parent as IDataObject | undefined)?.[key], data);

/**
 * What n8n's Test button runs for a credential with a declarative `test`: the steps of
 * CredentialsTester.testCredentials (n8n 2.8.4, packages/cli/src/services/credentials-tester.service.ts)
 * for that case, on n8n-core's real RoutingNode and our credential's `authenticate`. The e2e
 * suite clicks the real button in n8n; this runs in the unit suite, against real servers.
 */
export async function testCredential(
	type: 'salekitApi' | 'accessTradeApi',
	data: ICredentialDataDecryptedObject,
): Promise<CredentialVerdict> {
	const { test } = credentialTypes[type];
	if (!test) throw new Error(`${type} has no declarative test`);
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: { id: 'credential', name: 'Tested credential' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new CredentialsHelper({ [type]: data }),
		currentNodeParameters: node.parameters,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const credentialsDecrypted = { id: 'credential', name: 'Tested credential', type, data };

	let response;
	try {
		response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (caught) {
		const error = caught as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		// n8n 2.8 loses the response here (see test/e2e/package-in-n8n.ts): no status rule applies.
		if (error.cause?.response) {
			const { status, statusText } = error.cause.response;
			const rule = test.rules?.find(
				(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
			);
			if (rule) return { status: 'Error', message: rule.properties.message };
			if (status < 199 || status > 299)
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (lookUp(response?.[0]?.[0]?.json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
