/**
 * The benchmark's floor: the least a node can do per item in n8n and still send the same
 * AccessTrade update through n8n's request helper with the same credential. It reads the two
 * per-item fields through the same expressions as our node and the HTTP Request rows (n8n's
 * expression cost belongs to the floor), and does nothing else: no checks, no retries. `npm run bench`
 * copies the compiled file into the throwaway n8n's custom-nodes folder; it is never shipped.
 * Type imports only, because the copy has no node_modules next to it.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

const CREDENTIAL_TYPE = 'accessTradeApi';

export class BenchFloor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Floor',
		name: 'benchFloor',
		group: ['output'],
		version: 1,
		description: 'Benchmark only: posts each item as a conversion status update',
		defaults: { name: 'Bench Floor' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 },
			{ displayName: 'Conversion ID', name: 'conversionId', type: 'string', default: '' },
			{ displayName: 'Reason', name: 'reason', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const url = this.getNodeParameter('url', 0) as string;
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		// Read once and handed to n8n, as our node does: no credential read per request.
		const credentialsDecrypted = {
			id: this.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '',
			name: CREDENTIAL_TYPE,
			type: CREDENTIAL_TYPE,
			data: await this.getCredentials(CREDENTIAL_TYPE),
		};
		const output: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const index = next++;
				const conversionId = this.getNodeParameter('conversionId', index);
				const reason = this.getNodeParameter('reason', index);
				const reply = await this.helpers.httpRequestWithAuthentication.call(
					this,
					CREDENTIAL_TYPE,
					{
						method: 'POST',
						url,
						body: { conversion_id: conversionId, status: 'pre_approved', reason },
						json: true,
					},
					{ credentialsDecrypted },
				);
				output[index] = { json: reply, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
		return [output];
	}
}
