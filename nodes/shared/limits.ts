/** Input limits both nodes apply, each written once. */

/** More lines than any real order has; a bigger list is a mapping mistake, not an order. */
export const MAX_ORDER_LINES = 500;
/** Units on one line; more is a mapping mistake (a price or a phone number in the wrong field). */
export const MAX_LINE_QUANTITY = 1_000_000;
/** The vendors' short text fields: names, sources, click ids, currencies. */
export const TEXT_LIMIT = 255;
/** IDs and SKUs. */
export const ID_LIMIT = 100;
