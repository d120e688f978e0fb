import { ensureN8nHost, selectedHostSpec } from '../harness/n8n-host';

export default async function installN8nOnce(): Promise<void> {
	await ensureN8nHost(selectedHostSpec());
}
