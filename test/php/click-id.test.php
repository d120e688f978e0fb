<?php
/**
 * examples/woocommerce-click-id.php under php-cli: an affiliate's landing URL is kept in a
 * first-party cookie for 30 days, and a later checkout, classic or block, saves it as the
 * order meta `_at_click_id`, with or without ScaleF's tracking script.
 */
require __DIR__ . '/wordpress.php';
require __DIR__ . '/../../examples/woocommerce-click-id.php';

const COOKIE = 'accesstrade_click_id';
const CLASSIC = 'woocommerce_checkout_create_order';
const BLOCK = 'woocommerce_store_api_checkout_update_order_from_request';

/** A page view: WordPress runs template_redirect with the request's query and cookies. */
function visit( array $query, array $cookies = array() ): void {
	$_GET    = $query;
	$_COOKIE = $cookies;
	do_action( 'template_redirect' );
}

/** A checkout in a later request carrying the browser's cookies; answers the order's click id meta. */
function checkout( string $hook, array $cookies, array $meta = array() ): string {
	$_GET    = array();
	$_COOKIE = $cookies;
	$order   = new WC_Order( 7001 );
	$order->meta = $meta;
	// Classic: ($order, $posted_data); block: ($order, $request); the snippet takes the order.
	do_action( $hook, $order, array() );
	return (string) $order->get_meta( '_at_click_id' );
}

/** The cookies a browser sends back after the landing. */
function browser_cookies(): array {
	return array_map( fn( $cookie ) => $cookie['value'], WP::$cookies );
}

$hooked = array();
foreach ( WP::$hooks as $hook => $callbacks ) {
	foreach ( $callbacks as [ $callback ] ) {
		$hooked[] = "$hook → $callback";
	}
}
sort( $hooked );
check(
	'it hooks the landing and both checkouts',
	array(
		'template_redirect → accesstrade_remember_click_id',
		'woocommerce_checkout_create_order → accesstrade_save_click_id',
		'woocommerce_store_api_checkout_update_order_from_request → accesstrade_save_click_id',
	),
	$hooked
);

// The landing: an affiliate link, no ScaleF script on the shop.
wp_reset();
$before = time();
visit( array( 'utm_source' => 'accesstrade', 'utm_medium' => 'affiliate', 'click_id' => 'f3a9c2e1b7d04a5c9e8f0a1b' ) );
$cookie = WP::$cookies[ COOKIE ] ?? null;
check( "the landing sets the plugin's cookie to the click id", 'f3a9c2e1b7d04a5c9e8f0a1b', $cookie['value'] ?? null );
check_true(
	'the cookie lasts 30 days (ScaleF\'s window)',
	null !== $cookie && $cookie['expire'] >= $before + 30 * DAY_IN_SECONDS && $cookie['expire'] <= time() + 30 * DAY_IN_SECONDS
);
check( 'the cookie is HttpOnly and Secure on an https shop', array( true, true ), array( $cookie['httponly'] ?? null, $cookie['secure'] ?? null ) );
$cookies = browser_cookies();
check( 'days later, the classic checkout saves it', 'f3a9c2e1b7d04a5c9e8f0a1b', checkout( CLASSIC, $cookies ) );
check( 'days later, the block checkout saves it', 'f3a9c2e1b7d04a5c9e8f0a1b', checkout( BLOCK, $cookies ) );

wp_reset();
WP::$ssl = false;
visit( array( 'utm_source' => 'SF', 'click_id' => 'abc' ) );
check( 'on a plain http shop the cookie is not Secure (the browser would drop it)', false, WP::$cookies[ COOKIE ]['secure'] ?? null );

// Which landings count.
foreach ( array( 'SF', 'SCALEF', 'ACCESSTRADE', 'accesstrade' ) as $source ) {
	wp_reset();
	visit( array( 'utm_source' => $source, 'click_id' => "click-$source" ) );
	check( "utm_source=$source is ScaleF's: its click id is kept", "click-$source", WP::$cookies[ COOKIE ]['value'] ?? null );
}
foreach ( array( 'facebook', 'AccessTrade', 'sf', '' ) as $source ) {
	wp_reset();
	visit( array( 'utm_source' => $source, 'click_id' => 'not-an-affiliate' ) );
	check( "utm_source=\"$source\" is not ScaleF's: nothing is kept", array(), WP::$cookies );
}
wp_reset();
visit( array( 'click_id' => 'no-source' ) );
check( 'a click_id without utm_source is not kept', array(), WP::$cookies );
foreach ( array( '', '   ', str_repeat( 'a', 201 ) ) as $click_id ) {
	wp_reset();
	visit( array( 'utm_source' => 'accesstrade', 'click_id' => $click_id ) );
	check( 'an empty, blank or over-long click_id (' . strlen( $click_id ) . ' characters) is not kept', array(), WP::$cookies );
}
wp_reset();
visit( array( 'utm_source' => 'accesstrade' ) );
check( 'an affiliate landing without click_id is not kept', array(), WP::$cookies );

// A later landing.
wp_reset();
visit( array( 'utm_source' => 'accesstrade', 'click_id' => 'second-click' ), array( COOKIE => 'first-click' ) );
check( "a later affiliate click replaces the earlier one", 'second-click', WP::$cookies[ COOKIE ]['value'] ?? null );
wp_reset();
visit( array( 'utm_source' => 'google' ), array( COOKIE => 'first-click' ) );
check( 'a later visit from elsewhere leaves the kept click id alone', array(), WP::$cookies );
check( '...and the checkout still saves it', 'first-click', checkout( BLOCK, array( COOKIE => 'first-click' ) ) );

// Input as WordPress hands it over: slashed (wp_magic_quotes), possibly hostile.
wp_reset();
visit( array( 'utm_source' => 'accesstrade', 'click_id' => "ab\\'c<script>alert(1)</script>" ) );
check( 'the click id is unslashed and stripped of tags before it is kept', "ab'c", WP::$cookies[ COOKIE ]['value'] ?? null );
wp_reset();
visit( array( 'utm_source' => array( 'accesstrade' ), 'click_id' => array( 'x' ) ) );
check( 'array-valued parameters are ignored', array(), WP::$cookies );

// The checkout's sources.
wp_reset();
check( "with ScaleF's script only (its _click_id cookie), the checkout saves that", 'from-scalef', checkout( CLASSIC, array( '_click_id' => 'from-scalef' ) ) );
check(
	"with both cookies, the plugin's own wins (set by the server, not capped like script cookies)",
	'from-plugin',
	checkout( BLOCK, array( '_click_id' => 'from-scalef', COOKIE => 'from-plugin' ) )
);
check( 'a cookie that cleans to nothing falls back to the other one', 'from-scalef', checkout( CLASSIC, array( COOKIE => '<b></b>', '_click_id' => 'from-scalef' ) ) );
check( 'no cookie: no click id (the order came through no affiliate)', '', checkout( CLASSIC, array() ) );
check(
	'an order that already has a click id keeps it',
	'saved-before',
	checkout( BLOCK, array( COOKIE => 'from-plugin' ), array( '_at_click_id' => 'saved-before' ) )
);

report( basename( __FILE__ ) );
