import { selectedHostSpec } from '../harness/n8n-host';
import { describePackageInN8n } from './package-in-n8n';

// n8n 1.x opens a data table only by its id, never by the name the examples use (users of 1.x
// pick the table from the list instead), so the examples run on n8n 2.x only.
const examplesRunHere = !selectedHostSpec().n8n.startsWith('1.');

// As users install it (Settings > Community Nodes); the examples run here, as users run them.
// Unverified packages switched off, as n8n 3.0 ships: that stops panel installs, and a package
// already installed (or installed by hand) still loads.
describePackageInN8n('communityPackage', {
	alsoRunExamples: examplesRunHere,
	settings: { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' },
});
