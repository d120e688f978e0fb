<?php
/**
 * Plugin Name: AccessTrade refunded lines for WooCommerce
 * Description: Sends each partial refund of an affiliate's order to the n8n status workflow of n8n-nodes-accesstrade-salekit, which rejects the refunded lines at AccessTrade. A refund that could not be sent is written in the order's notes and shown on the dashboard.
 * Version: 1.0.0
 * Requires PHP: 7.4
 * License: MIT
 *
 * Install as a must-use plugin: copy this file to wp-content/mu-plugins/ (create that folder if
 * it is missing) and give it your n8n's address and the header secret, either below or, better,
 * in wp-config.php above the line "That's all, stop editing!":
 *
 *   define( 'ACCESSTRADE_REFUND_WEBHOOK_URL', 'https://n8n.example.vn/webhook/shop/order-refund' );
 *   define( 'ACCESSTRADE_REFUND_SECRET_HEADER', 'X-Shop-Secret' );
 *   define( 'ACCESSTRADE_REFUND_SECRET', 'the value of the Header Auth credential' );
 *
 * WooCommerce has no refund webhook. This hooks `woocommerce_order_partially_refunded`, which
 * WooCommerce fires from `wc_create_refund()` for every partial refund, whoever makes it: a shop
 * manager in the order screen, the REST API, or a payment gateway reporting a refund made on
 * its side (no user logged in then). A full refund needs nothing from here: the order becomes
 * `refunded`, and the status workflow rejects the whole conversion.
 *
 * It posts `{ "order_id": 5125, "refund": { "id", "amount", "reason", "line_items": [ { "id",
 * "name", "product_id", "variation_id", "quantity", "total", "sku" } ] } }` (quantities and
 * totals negative, as WooCommerce's REST API gives a refund) to the workflow's *Shop: line
 * refunded* Webhook, which answers once its run is over: anything but HTTP 2xx is a failure.
 * Only orders with a click id (order meta `_at_click_id`) are sent: the others have no
 * conversion.
 *
 * The post runs in the background through WooCommerce's Action Scheduler (Tools > Scheduled
 * Actions, group "accesstrade"), so a slow n8n never holds up the refund. A failed post is
 * tried again after 5 minutes, 30 minutes and 2 hours; every failure adds a private order note
 * saying what failed, and after the last one the dashboard shows a notice to shop managers
 * until they dismiss it.
 */

defined( 'ABSPATH' ) || exit;

defined( 'ACCESSTRADE_REFUND_WEBHOOK_URL' ) || define( 'ACCESSTRADE_REFUND_WEBHOOK_URL', 'https://n8n.example.vn/webhook/shop/order-refund' );
defined( 'ACCESSTRADE_REFUND_SECRET_HEADER' ) || define( 'ACCESSTRADE_REFUND_SECRET_HEADER', 'X-Shop-Secret' );
defined( 'ACCESSTRADE_REFUND_SECRET' ) || define( 'ACCESSTRADE_REFUND_SECRET', '' );

const ACCESSTRADE_REFUND_HOOK = 'accesstrade_send_refund';
const ACCESSTRADE_REFUND_GROUP = 'accesstrade';
/** Seconds to wait before the second, third and fourth attempt. */
const ACCESSTRADE_REFUND_RETRY_DELAYS = array( 300, 1800, 7200 );
/** Refunds that failed for good, by order id, until a shop manager dismisses the notice. */
const ACCESSTRADE_REFUND_FAILURES_OPTION = 'accesstrade_refund_failures';

/**
 * Queues the post of a partial refund; without Action Scheduler, sends it at once.
 *
 * @param int $order_id  The refunded order.
 * @param int $refund_id The refund WooCommerce just created.
 */
function accesstrade_queue_refund( $order_id, $refund_id ): void {
	if ( function_exists( 'as_enqueue_async_action' ) ) {
		as_enqueue_async_action( ACCESSTRADE_REFUND_HOOK, array( (int) $order_id, (int) $refund_id, 1 ), ACCESSTRADE_REFUND_GROUP );
		return;
	}
	accesstrade_send_refund( $order_id, $refund_id, 1 );
}

/**
 * What the status workflow receives for one refund, in the REST API's field names.
 *
 * @param WC_Order        $order  The refunded order.
 * @param WC_Order_Refund $refund Its refund.
 */
function accesstrade_refund_payload( $order, $refund ): array {
	$lines = array();
	foreach ( $refund->get_items( 'line_item' ) as $item ) {
		$product = $item->get_product();
		$lines[] = array(
			'id'           => $item->get_id(),
			'name'         => $item->get_name(),
			'product_id'   => $item->get_product_id(),
			'variation_id' => $item->get_variation_id(),
			'quantity'     => $item->get_quantity(),
			'total'        => wc_format_decimal( $item->get_total() ),
			'sku'          => $product ? $product->get_sku() : '',
		);
	}
	return array(
		'order_id' => $order->get_id(),
		'refund'   => array(
			'id'         => $refund->get_id(),
			'amount'     => wc_format_decimal( $refund->get_amount() ),
			'reason'     => $refund->get_reason(),
			'line_items' => $lines,
		),
	);
}

/**
 * Why a post failed, in a few words; '' when n8n took it.
 *
 * @param array|WP_Error $response What wp_remote_post returned.
 */
function accesstrade_refund_failure( $response ): string {
	if ( is_wp_error( $response ) ) {
		return $response->get_error_message();
	}
	$status = (int) wp_remote_retrieve_response_code( $response );
	if ( $status >= 200 && $status < 300 ) {
		return '';
	}
	// n8n's reply names the cause: "Authorization data is wrong!", "Error in workflow", a webhook not registered.
	$reply   = json_decode( (string) wp_remote_retrieve_body( $response ), true );
	$message = is_array( $reply ) && isset( $reply['message'] ) && is_string( $reply['message'] ) ? ': ' . substr( $reply['message'], 0, 200 ) : '';
	return sprintf( 'n8n answered HTTP %d%s', $status, $message );
}

/**
 * Posts one refund to the status workflow; on failure notes it and tries again later.
 *
 * @param int $order_id  The refunded order.
 * @param int $refund_id The refund.
 * @param int $attempt   1 for the first post.
 */
function accesstrade_send_refund( $order_id, $refund_id, $attempt ): void {
	$order  = wc_get_order( $order_id );
	$refund = wc_get_order( $refund_id );
	if ( ! $order || ! $refund ) {
		return; // Deleted meanwhile: nothing left to report.
	}
	if ( '' === (string) $order->get_meta( '_at_click_id' ) ) {
		return; // No affiliate brought this order: it has no conversion.
	}
	$payload = accesstrade_refund_payload( $order, $refund );
	$skus    = implode( ', ', array_filter( array_column( $payload['refund']['line_items'], 'sku' ) ) );
	if ( array() === $payload['refund']['line_items'] ) {
		$order->add_order_note(
			sprintf( 'AccessTrade: refund #%d names no product line (an amount only, as refunds reported by a payment gateway usually are), so no conversion line was rejected. If products came back, reject their lines at AccessTrade.', $refund_id )
		);
		return;
	}

	$failure = '' === ACCESSTRADE_REFUND_SECRET
		? 'ACCESSTRADE_REFUND_SECRET is not set (see the top of woocommerce-refund.php)'
		: accesstrade_refund_failure(
			wp_remote_post(
				ACCESSTRADE_REFUND_WEBHOOK_URL,
				array(
					'timeout'     => 30,
					'redirection' => 0,
					'headers'     => array(
						'Content-Type'                  => 'application/json',
						ACCESSTRADE_REFUND_SECRET_HEADER => ACCESSTRADE_REFUND_SECRET,
					),
					'body'        => wp_json_encode( $payload ),
				)
			)
		);

	if ( '' === $failure ) {
		if ( $attempt > 1 ) {
			$order->add_order_note( sprintf( 'AccessTrade: refund #%d (%s) sent to n8n on attempt %d.', $refund_id, $skus, $attempt ) );
		}
		return;
	}
	$delays = ACCESSTRADE_REFUND_RETRY_DELAYS;
	if ( $attempt <= count( $delays ) && function_exists( 'as_schedule_single_action' ) ) {
		$delay = $delays[ $attempt - 1 ];
		as_schedule_single_action( time() + $delay, ACCESSTRADE_REFUND_HOOK, array( (int) $order_id, (int) $refund_id, $attempt + 1 ), ACCESSTRADE_REFUND_GROUP );
		$order->add_order_note(
			sprintf( 'AccessTrade: refund #%d (%s) could not be sent to n8n: %s. Trying again in %d minutes.', $refund_id, $skus, $failure, $delay / 60 )
		);
		return;
	}
	$order->add_order_note(
		sprintf( 'AccessTrade: refund #%d (%s) could not be sent to n8n: %s. Gave up after %d attempts: reject these lines at AccessTrade by hand.', $refund_id, $skus, $failure, $attempt )
	);
	$failures              = (array) get_option( ACCESSTRADE_REFUND_FAILURES_OPTION, array() );
	$failures[ $order_id ] = sprintf( 'refund #%d (%s): %s', $refund_id, $skus, $failure );
	update_option( ACCESSTRADE_REFUND_FAILURES_OPTION, $failures, false );
}

/** The dashboard notice for refunds that failed for good, to whoever manages orders. */
function accesstrade_refund_notice(): void {
	$failures = (array) get_option( ACCESSTRADE_REFUND_FAILURES_OPTION, array() );
	if ( array() === $failures || ! current_user_can( 'edit_shop_orders' ) ) {
		return;
	}
	echo '<div class="notice notice-error"><p><strong>AccessTrade:</strong> these refunds never reached n8n, so their lines were not rejected at AccessTrade. Reject them there by hand.</p><ul>';
	foreach ( $failures as $order_id => $failure ) {
		$order = wc_get_order( $order_id );
		$label = sprintf( 'Order #%s', $order ? $order->get_order_number() : $order_id );
		$link  = $order ? sprintf( '<a href="%s">%s</a>', esc_url( $order->get_edit_order_url() ), esc_html( $label ) ) : esc_html( $label );
		echo '<li>' . $link . ', ' . esc_html( $failure ) . '</li>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped above.
	}
	$dismiss = wp_nonce_url( add_query_arg( 'accesstrade_refund_dismiss', '1', admin_url( 'index.php' ) ), 'accesstrade_refund_dismiss' );
	echo '</ul><p><a href="' . esc_url( $dismiss ) . '">Dismiss: I handled them</a></p></div>';
}

/** Clears the notice when a shop manager dismisses it. */
function accesstrade_refund_dismiss(): void {
	if ( ! isset( $_GET['accesstrade_refund_dismiss'] ) || ! current_user_can( 'edit_shop_orders' ) ) {
		return;
	}
	check_admin_referer( 'accesstrade_refund_dismiss' );
	delete_option( ACCESSTRADE_REFUND_FAILURES_OPTION );
}

add_action( 'woocommerce_order_partially_refunded', 'accesstrade_queue_refund', 10, 2 );
add_action( ACCESSTRADE_REFUND_HOOK, 'accesstrade_send_refund', 10, 3 );
add_action( 'admin_notices', 'accesstrade_refund_notice' );
add_action( 'admin_init', 'accesstrade_refund_dismiss' );
