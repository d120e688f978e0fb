import { Container } from '@n8n/di';
import { DataDeduplicationService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
// Not re-exported by n8n-core's index, but it is what keeps jest from exiting.
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import {
	createDeferredPromise,
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICheckProcessedContextData,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { AccessTradeApi } from '../../credentials/AccessTradeApi.credentials';
import { SalekitApi } from '../../credentials/SalekitApi.credentials';
import { AccessTrade } from '../../nodes/AccessTrade/AccessTrade.node';
import { Salekit } from '../../nodes/Salekit/Salekit.node';
import { keyWorkSettled } from '../../nodes/shared/orderKey';
import { ProcessedDataTable } from './processedData';

const nodeTypes: Record<string, INodeType> = {
	'CUSTOM.salekit': new Salekit(),
	'CUSTOM.accessTrade': new AccessTrade(),
};

/**
 * The node types as another n8n process (a queue-mode worker) has them: a fresh copy of the
 * package's modules, so module state (the store call queue of Shop Order Key) is its own.
 */
const otherProcesses = new Map<number, Record<string, INodeType>>();
/** Each simulated process's key work that goes on after its node returned (margins, checks). */
const keyWorkOfProcesses: Array<() => Promise<void>> = [keyWorkSettled];
function nodeTypesOfProcess(process: number): Record<string, INodeType> {
	if (process === 0) return nodeTypes;
	if (!otherProcesses.has(process)) {
		jest.isolateModules(() => {
			/* eslint-disable @typescript-eslint/no-require-imports */
			const orderKey = require('../../nodes/shared/orderKey') as {
				keyWorkSettled: () => Promise<void>;
			};
			keyWorkOfProcesses.push(orderKey.keyWorkSettled);
			const salekit = require('../../nodes/Salekit/Salekit.node') as {
				Salekit: new () => INodeType;
			};
			const accessTrade = require('../../nodes/AccessTrade/AccessTrade.node') as {
				AccessTrade: new () => INodeType;
			};
			/* eslint-enable @typescript-eslint/no-require-imports */
			otherProcesses.set(process, {
				'CUSTOM.salekit': new salekit.Salekit(),
				'CUSTOM.accessTrade': new accessTrade.AccessTrade(),
			});
		});
	}
	return otherProcesses.get(process) as Record<string, INodeType>;
}

/** Loads these simulated processes now, so that a timed test does not wait for their modules. */
export function loadProcesses(...processes: number[]): void {
	for (const process of processes) nodeTypesOfProcess(process);
}

/** Resolves once the key work after returning of every simulated process is over. */
export async function keyWorkSettledEverywhere(): Promise<void> {
	await Promise.all(keyWorkOfProcesses.map((settled) => settled()));
}

export const credentialTypes: Record<string, ICredentialType> = {
	salekitApi: new SalekitApi(),
	accessTradeApi: new AccessTradeApi(),
};

/** n8n's processed-data store (Shop Order Keys), kept across the runs of one test file. */
export const processedData = new ProcessedDataTable();
void DataDeduplicationService.init(processedData);

/** Where runNode's node keeps its processed data: the workflow and node ids it runs under. */
export const NODE_UNDER_TEST = {
	workflow: { id: 'test-workflow', active: false },
	node: { id: 'node-under-test' } as INode,
} satisfies ICheckProcessedContextData;

const registryOf = (types: Record<string, INodeType>): INodeTypes => ({
	getByName: (type: string) => types[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string) => types[type],
	getKnownTypes: () => ({}),
});

/** Hands n8n-core the test's credentials, and applies our credential types' `authenticate`. */
export class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = credentialTypes[typeName];
		if (typeof authenticate !== 'function')
			throw new Error(`${typeName} must authenticate with a function`);
		return await authenticate(credentials, requestOptions);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		return this.credentials[type] ?? {};
	}

	getParentTypes() {
		return [];
	}
	getCredentialsProperties(type: string) {
		return credentialTypes[type]?.properties ?? [];
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by these nodes');
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	isCredentialUsableByNode() {
		return true;
	}
}

export interface NodeRun {
	/** The node's output items on its first output, as n8n stored them in the run data. */
	items: INodeExecutionData[];
	/** The error the node's run ended with, if any. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

export interface RunNodeOptions {
	type: 'salekit' | 'accessTrade';
	parameters: INodeParameters;
	input: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** Cancels the execution, as the editor's stop button does, when this settles. */
	cancelWhen?: Promise<unknown>;
	/** Runs it in another simulated n8n process (0, the default, is this one); all share one store. */
	process?: number;
	/** The workflow's time zone setting; n8n's default (America/New_York) when not given. */
	timezone?: string;
}

/** Runs one node of ours through n8n-core's real WorkflowExecute, with the given input items. */
export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const credentialType = options.type === 'salekit' ? 'salekitApi' : 'accessTradeApi';
	const node: INode = {
		id: NODE_UNDER_TEST.node.id,
		name: 'Node Under Test',
		type: `CUSTOM.${options.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { [credentialType]: { id: '1', name: 'Test credential' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: NODE_UNDER_TEST.workflow.id,
		nodes: [node],
		connections: {},
		nodeTypes: registryOf(nodeTypesOfProcess(options.process ?? 0)),
		active: false,
		settings: options.timezone ? { timezone: options.timezone } : undefined,
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const additionalData = {
		hooks,
		credentialsHelper: new CredentialsHelper({ [credentialType]: options.credentials }),
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node, data: { main: [options.input.map((json) => ({ json }))] }, source: null },
			],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	void options.cancelWhen?.then(() => execution.cancel());
	// After a cancel this still settles only once the node has returned.
	await execution;
	const run = await finished.promise;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: (taskData?.error ?? run.data.resultData.error) as NodeRun['error'],
		run,
	};
}

// n8n-core leaves an interval running; without this jest never exits.
afterAll(() => Container.get(SSHClientsManager).onShutdown());

/** AccessTrade status updates, one per input, conversion id and reason mapped by expression. */
export function updateConversionStatuses(
	target: { baseUrl: string; accessToken: string },
	input: Array<{ conversionId: string; reason: string }>,
	options: INodeParameters,
	continueOnFail = false,
): Promise<NodeRun> {
	return runNode({
		type: 'accessTrade',
		parameters: {
			resource: 'conversion',
			operation: 'updateStatus',
			campaignId: '1001',
			conversionId: '={{ $json.conversionId }}',
			status: 'pre_approved',
			reason: '={{ $json.reason }}',
			options,
		},
		input,
		credentials: target,
		continueOnFail,
	});
}

/** The fields of the smallest order Salekit accepts. */
export const smallestOrder: INodeParameters = {
	fullName: 'A',
	phone: '0900',
	totalPrice: 10,
	totalPay: 10,
	status: 0,
	products: { product: [{ productId: 1, quantity: 1 }] },
};

/** What the runner adds to a create's error when its request may have taken effect. */
export const MAY_HAVE_BEEN_CREATED_AT = (vendorName: string) =>
	`. It may have been created all the same, so it was not sent again: check ${vendorName} before running this item again`;
