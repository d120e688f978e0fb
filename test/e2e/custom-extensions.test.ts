import { describePackageInN8n } from './package-in-n8n';

// As developers load a checkout: N8N_CUSTOM_EXTENSIONS=<repo>/dist, node types CUSTOM.*.
describePackageInN8n('customExtensions');
