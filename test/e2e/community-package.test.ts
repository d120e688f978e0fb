import { describePackageInN8n } from './package-in-n8n';

// As users install it (Settings > Community Nodes); the examples run here, as users run them.
describePackageInN8n('communityPackage', { alsoRunExamples: true });
