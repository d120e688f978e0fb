import type { ItemFields } from '../../shared/fields';

/** Campaign ID goes into URL paths, so nothing but a whole number may pass. */
export function readCampaignId(item: ItemFields): number {
	const campaignId = item.param('campaignId');
	if (item.isBlank(campaignId)) item.fail('Campaign ID', 'is required');
	return item.wholeNumber('Campaign ID', campaignId, 1);
}
