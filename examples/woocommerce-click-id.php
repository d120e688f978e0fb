<?php
/**
 * Saves AccessTrade's click id with every WooCommerce order, for the example workflows.
 *
 * ScaleF's tracking script keeps the affiliate's click id in the `_click_id` cookie for 30 days.
 * This saves it as the order meta `_at_click_id`, on both checkouts:
 * - the classic (shortcode) checkout, through `woocommerce_checkout_create_order`;
 * - the block checkout, WooCommerce's default for new stores, which never calls that hook,
 *   through `woocommerce_store_api_checkout_update_order_from_request`.
 *
 * WooCommerce then sends the meta in the order's `meta_data` (REST API v3 and webhooks):
 *   "meta_data": [{ "id": 123, "key": "_at_click_id", "value": "f3a9c2e1b7d04a5c9e8f0a1b" }]
 * and the examples read it with
 *   $json.meta_data.find(meta => meta.key === '_at_click_id')?.value
 *
 * Install: paste into the theme's functions.php, or save as
 * wp-content/mu-plugins/accesstrade-click-id.php (loaded without activation).
 */

defined( 'ABSPATH' ) || exit;

/**
 * The buyer's click id from the tracking cookie, or '' when there is none.
 */
function accesstrade_click_id_from_cookie(): string {
	if ( empty( $_COOKIE['_click_id'] ) ) {
		return '';
	}
	return sanitize_text_field( wp_unslash( $_COOKIE['_click_id'] ) );
}

/**
 * Stores the click id on an order that has none yet. Both checkouts save the order after
 * their hook runs, so no save() here.
 *
 * @param WC_Order $order The order being placed.
 */
function accesstrade_save_click_id( $order ): void {
	$click_id = accesstrade_click_id_from_cookie();
	if ( '' !== $click_id && '' === (string) $order->get_meta( '_at_click_id' ) ) {
		$order->update_meta_data( '_at_click_id', $click_id );
	}
}

// Classic checkout: the order object before its first save.
add_action( 'woocommerce_checkout_create_order', 'accesstrade_save_click_id' );
// Block checkout (Store API): the draft order updated from the checkout request.
add_action( 'woocommerce_store_api_checkout_update_order_from_request', 'accesstrade_save_click_id' );
