import { ensureN8nHost } from '../../scripts/n8n-host';

export default async function installN8nOnce(): Promise<void> {
	await ensureN8nHost();
}
