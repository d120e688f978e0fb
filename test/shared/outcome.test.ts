import { stoppedRunReport, type ItemResult } from '../../nodes/shared/outcome';

const done = (id: number): ItemResult => ({ status: 'done', output: { id } });
const skipped: ItemResult = { status: 'skipped', output: {} };
const failed: ItemResult = { status: 'failed', error: new Error('Số điện thoại không hợp lệ') };

test('a stopped run names each item once, one item as "item", several as ranges of "items"', () => {
	// Items 0–1 done, 2 skipped, 3 failed, 4 never sent.
	const one = stoppedRunReport(
		'Salekit',
		[done(11), done(12), skipped, failed, undefined],
		(o) => o.id,
	);
	expect(one.text).toBe(
		[
			'Done at Salekit (2): item 0 (id 11), item 1 (id 12)',
			'Skipped, created by an earlier execution or item (1): item 2',
			'Failed (1):\nitem 3: Số điện thoại không hợp lệ',
			'Not sent (1): item 4',
		].join('\n'),
	);
	// Items 1–2 and 4 skipped, 6–8 and 10 never sent.
	const results: Array<ItemResult | undefined> = Array(11);
	results[0] = failed;
	for (const index of [1, 2, 4]) results[index] = skipped;
	for (const index of [3, 5, 9]) results[index] = done(index);
	const many = stoppedRunReport('Salekit', results, (o) => o.id);
	expect(many.text).toContain('Skipped, created by an earlier execution or item (3): items 1–2, 4');
	expect(many.text).toContain('Not sent (4): items 6–8, 10');
});
