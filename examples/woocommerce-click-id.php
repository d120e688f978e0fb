<?php
/**
 * Plugin Name: AccessTrade click id for WooCommerce
 * Description: Saves the AccessTrade (ScaleF) click id of an affiliate's buyer with the order, as the order meta _at_click_id, for the n8n workflows of n8n-nodes-accesstrade-salekit.
 * Version: 2.0.0
 * Requires PHP: 7.4
 * License: MIT
 *
 * Install as a must-use plugin: copy this file, unchanged, to wp-content/mu-plugins/ (create
 * that folder if it is missing). WordPress loads it without activation and it survives theme
 * changes. It needs no other script: ScaleF's tracking script is optional.
 *
 * An affiliate's link lands the buyer on the shop with `utm_source` set to one of ScaleF's
 * values (SF, SCALEF, ACCESSTRADE, accesstrade) and a `click_id`. This plugin:
 * 1. keeps that click id for 30 days (ScaleF's attribution window) in a first-party cookie of
 *    its own, set by the server, so the buyer may check out days later from another page;
 * 2. at checkout, saves it as the order meta `_at_click_id`, on the classic (shortcode)
 *    checkout through `woocommerce_checkout_create_order` and on the block checkout,
 *    WooCommerce's default for new stores, which never calls that hook, through
 *    `woocommerce_store_api_checkout_update_order_from_request`.
 * Without its own cookie (say, a cached landing page that never ran PHP), it falls back to the
 * `_click_id` cookie that ScaleF's tracking script writes when a shop has that script.
 *
 * WooCommerce sends the meta in the order's `meta_data` (REST API v3 and webhooks):
 *   "meta_data": [{ "id": 123, "key": "_at_click_id", "value": "f3a9c2e1b7d04a5c9e8f0a1b" }]
 * where the example workflows read it.
 */

defined( 'ABSPATH' ) || exit;

/** The `utm_source` values of ScaleF's affiliate links, exactly as its tracking script matches them. */
const ACCESSTRADE_CLICK_ID_SOURCES = array( 'SF', 'SCALEF', 'ACCESSTRADE', 'accesstrade' );
/** This plugin's own cookie; ScaleF's script writes `_click_id`. */
const ACCESSTRADE_CLICK_ID_COOKIE = 'accesstrade_click_id';
const ACCESSTRADE_CLICK_ID_SCALEF_COOKIE = '_click_id';
const ACCESSTRADE_CLICK_ID_DAYS = 30;

/**
 * A click id as stored: sanitized, '' when empty or implausibly long.
 *
 * @param mixed $raw A query or cookie value, slashed as WordPress gives them.
 */
function accesstrade_clean_click_id( $raw ): string {
	if ( ! is_string( $raw ) ) {
		return '';
	}
	$click_id = sanitize_text_field( wp_unslash( $raw ) );
	return strlen( $click_id ) <= 200 ? $click_id : '';
}

/**
 * The click id of an affiliate's landing URL, or '' when the URL is not one.
 *
 * @param array $query The request's query parameters ($_GET).
 */
function accesstrade_click_id_from_landing( array $query ): string {
	$source = isset( $query['utm_source'] ) && is_string( $query['utm_source'] ) ? wp_unslash( $query['utm_source'] ) : '';
	if ( ! in_array( $source, ACCESSTRADE_CLICK_ID_SOURCES, true ) ) {
		return '';
	}
	return accesstrade_clean_click_id( $query['click_id'] ?? '' );
}

/**
 * On an affiliate's landing, keeps the click id in this plugin's cookie for 30 days (a later
 * affiliate click replaces it; other visits leave it alone).
 */
function accesstrade_remember_click_id(): void {
	$click_id = accesstrade_click_id_from_landing( $_GET ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a landing link, no form.
	if ( '' === $click_id || ! function_exists( 'wc_setcookie' ) ) {
		return;
	}
	// Set by the server and HttpOnly: browsers cap cookies written by page scripts (Safari at 7 days).
	wc_setcookie( ACCESSTRADE_CLICK_ID_COOKIE, $click_id, time() + ACCESSTRADE_CLICK_ID_DAYS * DAY_IN_SECONDS, is_ssl(), true );
	$_COOKIE[ ACCESSTRADE_CLICK_ID_COOKIE ] = $click_id;
}

/**
 * The buyer's click id: this plugin's cookie, else ScaleF's; '' when the buyer came through no
 * affiliate.
 */
function accesstrade_click_id(): string {
	foreach ( array( ACCESSTRADE_CLICK_ID_COOKIE, ACCESSTRADE_CLICK_ID_SCALEF_COOKIE ) as $cookie ) {
		$click_id = accesstrade_clean_click_id( $_COOKIE[ $cookie ] ?? '' );
		if ( '' !== $click_id ) {
			return $click_id;
		}
	}
	return '';
}

/**
 * Stores the click id on an order that has none yet. Both checkouts save the order after
 * their hook runs, so no save() here.
 *
 * @param WC_Order $order The order being placed.
 */
function accesstrade_save_click_id( $order ): void {
	$click_id = accesstrade_click_id();
	if ( '' !== $click_id && '' === (string) $order->get_meta( '_at_click_id' ) ) {
		$order->update_meta_data( '_at_click_id', $click_id );
	}
}

// Any page the affiliate's link lands on, before its output starts.
add_action( 'template_redirect', 'accesstrade_remember_click_id' );
// Classic checkout: the order object before its first save.
add_action( 'woocommerce_checkout_create_order', 'accesstrade_save_click_id' );
// Block checkout (Store API): the draft order updated from the checkout request.
add_action( 'woocommerce_store_api_checkout_update_order_from_request', 'accesstrade_save_click_id' );
