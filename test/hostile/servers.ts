import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode, type NodeRun } from '../helpers/engine';
import type { HostileServer } from '../helpers/hostileServer';

export * from '../helpers/hostileServer';

export const SALEKIT_TOKEN = 'hostile-salekit-token-5c1e';
export const ACCESSTRADE_TOKEN = 'hostile-accesstrade-token-9d2b';

export const salekitOrder: INodeParameters = {
	resource: 'order',
	operation: 'create',
	fullName: '={{ $json.name ?? "Nguyễn Văn A" }}',
	phone: '0900000000',
	totalPrice: 100000,
	totalPay: 100000,
	status: 0,
	products: { product: [{ productId: 1, quantity: 1 }] },
};

/** An AccessTrade conversion status update, with any parameter replaced. */
export const conversionUpdate = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'conversion',
	operation: 'updateStatus',
	campaignId: '1001',
	conversionId: 'c1',
	status: 'pre_approved',
	...fields,
});

export const conversionReply = {
	status: 'success',
	data: {
		status: 'success',
		data: { conversion_id: 'c1', order_id: 'o1', conversion_parts: [] },
		message: 'Success',
		code: 0,
	},
};

export interface RunOn {
	parameters?: INodeParameters;
	input?: IDataObject[];
	continueOnFail?: boolean;
	token?: unknown;
	baseUrl?: string;
	cancelWhen?: Promise<unknown>;
}

export function runSalekit(server: HostileServer, run: RunOn = {}): Promise<NodeRun> {
	return runNode({
		type: 'salekit',
		parameters: run.parameters ?? salekitOrder,
		input: run.input ?? [{}],
		credentials: {
			token: run.token ?? SALEKIT_TOKEN,
			baseUrl: run.baseUrl ?? `${server.origin}/api/v1`,
		} as never,
		continueOnFail: run.continueOnFail,
		cancelWhen: run.cancelWhen,
	});
}

export function runAccessTrade(server: HostileServer, run: RunOn = {}): Promise<NodeRun> {
	return runNode({
		type: 'accessTrade',
		parameters:
			run.parameters ??
			conversionUpdate({
				conversionId: '={{ $json.conversionId ?? "5f6082a96c906f054417fe11" }}',
				status: 'rejected',
				reason: 'Khách trả hàng',
			}),
		input: run.input ?? [{}],
		credentials: {
			accessToken: run.token ?? ACCESSTRADE_TOKEN,
			baseUrl: run.baseUrl ?? server.origin,
		} as never,
		continueOnFail: run.continueOnFail,
		cancelWhen: run.cancelWhen,
	});
}

/** Everything a user could see of a run: output items, the error, and n8n's whole run data. */
export function everythingShown(run: NodeRun): string {
	return JSON.stringify({
		items: run.items,
		error: run.error,
		message: run.error?.message,
		description: run.error?.description,
		run: run.run,
	});
}
