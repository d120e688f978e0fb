<?php
/**
 * examples/woocommerce-refund.php under php-cli: a partial refund of an affiliate's order,
 * made by a payment gateway (no user logged in), reaches the status workflow's Webhook with
 * its lines; a refund n8n does not take is tried again, noted on the order each time, and
 * after the last attempt shown on the dashboard until a shop manager dismisses it.
 */
const SECRET = 'sandbox-shop-secret-0123456789';
define( 'ACCESSTRADE_REFUND_WEBHOOK_URL', 'https://n8n.example.vn/webhook/shop/order-refund' );
define( 'ACCESSTRADE_REFUND_SECRET', SECRET );

require __DIR__ . '/wordpress.php';
require __DIR__ . '/../../examples/woocommerce-refund.php';

const ORDER = 5125;
const REFUND = 5131;

/** An affiliate's order (or not) with one refund of the given lines. */
function refunded_order( bool $affiliate = true, array $lines = array( 'VI-DA' ) ): WC_Order {
	$order = add_order( new WC_Order( ORDER ) );
	if ( $affiliate ) {
		$order->meta['_at_click_id'] = 'f3a9c2e1b7d04a5c9e8f0a1b';
	}
	$items = array();
	foreach ( $lines as $n => $sku ) {
		$items[] = new WC_Order_Item_Product(
			array( 'id' => 5132 + $n, 'name' => "Line $sku", 'product_id' => 105 + $n, 'quantity' => -1, 'total' => '-150000' ),
			new WC_Product( $sku )
		);
	}
	add_order( new WC_Order_Refund( REFUND, '150000.00', 'Khách trả lại ví da', $items ) );
	return $order;
}

/** What wc_create_refund() does once the refund is saved, for a partial refund. */
function gateway_refunds(): void {
	do_action( 'woocommerce_order_partially_refunded', ORDER, REFUND );
}

$hooked = array();
foreach ( WP::$hooks as $hook => $callbacks ) {
	foreach ( $callbacks as [ $callback, , $args ] ) {
		$hooked[] = "$hook → $callback/$args";
	}
}
sort( $hooked );
check(
	'it hooks partial refunds, its own queued action and the dashboard',
	array(
		'accesstrade_send_refund → accesstrade_send_refund/3',
		'admin_init → accesstrade_refund_dismiss/1',
		'admin_notices → accesstrade_refund_notice/1',
		'woocommerce_order_partially_refunded → accesstrade_queue_refund/2',
	),
	$hooked
);

// A gateway reports a partial refund: nobody is logged in.
wp_reset();
$order = refunded_order();
gateway_refunds();
check( 'the refund itself sends nothing: the post is queued', array(), WP::$posts );
check(
	'one background action, in the group "accesstrade", for this refund',
	array( array( 'hook' => 'accesstrade_send_refund', 'args' => array( ORDER, REFUND, 1 ), 'group' => 'accesstrade' ) ),
	array_map( fn( $action ) => array_diff_key( $action, array( 'delay' => 0 ) ), WP::$actions )
);
check( 'Action Scheduler runs it', 1, run_scheduled_actions() );
$post = WP::$posts[0] ?? array( 'url' => null, 'args' => array() );
check( 'it posts once, to the Webhook', array( 1, ACCESSTRADE_REFUND_WEBHOOK_URL ), array( count( WP::$posts ), $post['url'] ) );
check(
	'with JSON and the header secret',
	array( 'Content-Type' => 'application/json', 'X-Shop-Secret' => SECRET ),
	$post['args']['headers'] ?? null
);
check( 'and follows no redirect (it would carry the secret elsewhere)', 0, $post['args']['redirection'] ?? null );
check(
	'the body: the order id and the refund with its lines, as the REST API names them',
	array(
		'order_id' => ORDER,
		'refund'   => array(
			'id'         => REFUND,
			'amount'     => '150000',
			'reason'     => 'Khách trả lại ví da',
			'line_items' => array(
				array( 'id' => 5132, 'name' => 'Line VI-DA', 'product_id' => 105, 'variation_id' => 0, 'quantity' => -1, 'total' => '-150000', 'sku' => 'VI-DA' ),
			),
		),
	),
	json_decode( $post['args']['body'] ?? 'null', true )
);
check( 'n8n took it: no note, nothing queued', array( array(), array() ), array( $order->notes, WP::$actions ) );

// n8n fails every time: three more attempts, a note each time, then the dashboard.
wp_reset();
$order         = refunded_order( true, array( 'VI-DA', 'TUI-XACH' ) );
WP::$replies   = array(
	reply( 500, '{"code":0,"message":"Error in workflow"}' ),
	new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect to n8n.example.vn port 443' ),
	reply( 403, 'Authorization data is wrong!' ),
	reply( 404, '{"code":404,"message":"The requested webhook \"POST shop/order-refund\" is not registered."}' ),
);
gateway_refunds();
$delays = array();
while ( WP::$actions ) {
	$delays[] = WP::$actions[0]['delay'];
	run_scheduled_actions();
}
check( 'four attempts in all', 4, count( WP::$posts ) );
check(
	'at once, then after 5 minutes, 30 minutes and 2 hours',
	array( 0, 300, 1800, 7200 ),
	$delays
);
check(
	'each failure is noted on the order, saying what failed and what happens next',
	array(
		'AccessTrade: refund #5131 (VI-DA, TUI-XACH) could not be sent to n8n: n8n answered HTTP 500: Error in workflow. Trying again in 5 minutes.',
		'AccessTrade: refund #5131 (VI-DA, TUI-XACH) could not be sent to n8n: cURL error 7: Failed to connect to n8n.example.vn port 443. Trying again in 30 minutes.',
		'AccessTrade: refund #5131 (VI-DA, TUI-XACH) could not be sent to n8n: n8n answered HTTP 403. Trying again in 120 minutes.',
		'AccessTrade: refund #5131 (VI-DA, TUI-XACH) could not be sent to n8n: n8n answered HTTP 404: The requested webhook "POST shop/order-refund" is not registered.. Gave up after 4 attempts: reject these lines at AccessTrade by hand.',
	),
	$order->notes
);
check_true( 'no note holds the secret', ! str_contains( implode( ' ', $order->notes ), SECRET ) );

ob_start();
do_action( 'admin_notices' );
check( 'a visitor without order rights sees no notice', '', ob_get_clean() );
WP::$capabilities = array( 'edit_shop_orders' );
ob_start();
do_action( 'admin_notices' );
$notice = ob_get_clean();
check_true( 'a shop manager sees the notice, naming the order and the lines', str_contains( $notice, 'Order #5125</a>, refund #5131 (VI-DA, TUI-XACH): n8n answered HTTP 404' ) );
check_true( '...with a link to the order', str_contains( $notice, 'href="https://shop.example.vn/wp-admin/admin.php?page=wc-orders&amp;action=edit&amp;id=5125"' ) );
preg_match( '/href="([^"]*accesstrade_refund_dismiss[^"]*)"/', $notice, $dismiss );
parse_str( (string) parse_url( html_entity_decode( $dismiss[1] ?? '' ), PHP_URL_QUERY ), $_GET );
do_action( 'admin_init' );
check( 'its Dismiss link (with a nonce) clears it', array( array( 'accesstrade_refund_dismiss' ), array() ), array( WP::$nonceChecks, get_option( 'accesstrade_refund_failures', array() ) ) );
ob_start();
do_action( 'admin_notices' );
check( '...and the notice is gone', '', ob_get_clean() );

wp_reset();
refunded_order();
WP::$options['accesstrade_refund_failures'] = array( ORDER => 'refund #5131 (VI-DA): n8n answered HTTP 500' );
WP::$capabilities                          = array( 'edit_shop_orders' );
$_GET = array( 'accesstrade_refund_dismiss' => '1', '_wpnonce' => 'forged' );
try {
	do_action( 'admin_init' );
	$outcome = 'cleared';
} catch ( RuntimeException $stopped ) {
	$outcome = $stopped->getMessage();
}
check( 'a dismiss link without the right nonce stops and clears nothing', array( 'wp_die: the link you followed has expired', 1 ), array( $outcome, count( get_option( 'accesstrade_refund_failures', array() ) ) ) );

// A later attempt succeeds.
wp_reset();
$order       = refunded_order();
WP::$replies = array( reply( 502, 'Bad Gateway' ), reply( 200, '' ) );
gateway_refunds();
run_scheduled_actions();
run_scheduled_actions();
check(
	'a retry that gets through says so, and nothing more is queued',
	array(
		array(
			'AccessTrade: refund #5131 (VI-DA) could not be sent to n8n: n8n answered HTTP 502. Trying again in 5 minutes.',
			'AccessTrade: refund #5131 (VI-DA) sent to n8n on attempt 2.',
		),
		2,
		array(),
		array(),
	),
	array( $order->notes, count( WP::$posts ), WP::$actions, get_option( 'accesstrade_refund_failures', array() ) )
);

// What is not sent.
wp_reset();
$order = refunded_order( false );
gateway_refunds();
run_scheduled_actions();
check( 'an order without a click id (no affiliate) sends nothing and notes nothing', array( array(), array() ), array( WP::$posts, $order->notes ) );

wp_reset();
$order = refunded_order( true, array() );
gateway_refunds();
run_scheduled_actions();
check( 'a refund of an amount only (no line) sends nothing', array(), WP::$posts );
check(
	'...and says on the order that no line was rejected',
	array( 'AccessTrade: refund #5131 names no product line (an amount only, as refunds reported by a payment gateway usually are), so no conversion line was rejected. If products came back, reject their lines at AccessTrade.' ),
	$order->notes
);

wp_reset();
do_action( 'accesstrade_send_refund', ORDER, REFUND, 1 );
check( 'an order deleted before the action ran: nothing sent, no error', array(), WP::$posts );

report( basename( __FILE__ ) );
