<?php
/**
 * Just enough of WordPress and WooCommerce to run the shop snippets in examples/ under php-cli:
 * hooks that really run their callbacks, orders that keep their meta and notes, and a record of
 * what the snippet did to the outside world (cookies, HTTP posts, scheduled actions, options).
 * Behaviour follows WordPress's and WooCommerce's source where a snippet depends on it.
 */

define( 'ABSPATH', __DIR__ . '/' );
define( 'DAY_IN_SECONDS', 86400 );

/** What happened, reset by wp_reset() before each case. */
final class WP {
	public static array $hooks = array();
	public static array $cookies = array();
	public static array $posts = array();
	/** Replies wp_remote_post hands out in turn (array or WP_Error). */
	public static array $replies = array();
	public static array $actions = array();
	public static array $options = array();
	public static array $orders = array();
	public static array $capabilities = array();
	public static bool $ssl = true;
	public static array $nonceChecks = array();
}

function wp_reset(): void {
	WP::$cookies = WP::$posts = WP::$replies = WP::$actions = WP::$options = WP::$orders = WP::$capabilities = WP::$nonceChecks = array();
	WP::$ssl = true;
	$_GET = $_COOKIE = array();
}

// Hooks: add_action keeps callbacks; do_action calls them as WordPress does, passing at most
// accepted_args arguments.
function add_action( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	WP::$hooks[ $hook ][] = array( $callback, $priority, $accepted_args );
	return true;
}
function do_action( $hook, ...$args ): void {
	$callbacks = WP::$hooks[ $hook ] ?? array();
	usort( $callbacks, fn( $a, $b ) => $a[1] <=> $b[1] );
	foreach ( $callbacks as [ $callback, , $accepted ] ) {
		$callback( ...array_slice( $args, 0, $accepted ) );
	}
}

// Input cleaning, as wp-includes/formatting.php does it for the cases the snippets meet.
function wp_unslash( $value ) {
	return is_array( $value ) ? array_map( 'wp_unslash', $value ) : stripslashes( (string) $value );
}
function wp_strip_all_tags( $text ) {
	$text = preg_replace( '@<(script|style)[^>]*?>.*?</\\1>@si', '', (string) $text );
	return trim( strip_tags( $text ) );
}
function sanitize_text_field( $text ) {
	$text = (string) $text;
	if ( 1 !== preg_match( '//u', $text ) ) { // wp_check_invalid_utf8
		return '';
	}
	if ( str_contains( $text, '<' ) ) {
		$text = wp_strip_all_tags( $text );
	}
	$text = preg_replace( '/[\r\n\t ]+/', ' ', $text );
	// Percent-encoded octets.
	while ( preg_match( '/%[a-f0-9]{2}/i', $text, $match ) ) {
		$text = str_replace( $match[0], '', $text );
	}
	return trim( $text );
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES );
}
function esc_url( $url ) {
	return htmlspecialchars( (string) $url, ENT_QUOTES );
}
function wp_json_encode( $data ) {
	return json_encode( $data );
}
function wc_format_decimal( $number ) {
	return rtrim( rtrim( sprintf( '%.2F', (float) $number ), '0' ), '.' );
}
function is_ssl() {
	return WP::$ssl;
}

/** WooCommerce's cookie setter (wc-core-functions.php): here it records what the browser would get. */
function wc_setcookie( $name, $value, $expire = 0, $secure = false, $httponly = false ) {
	WP::$cookies[ $name ] = compact( 'value', 'expire', 'secure', 'httponly' );
}

// HTTP.
class WP_Error {
	public function __construct( private string $code = '', private string $message = '' ) {}
	public function get_error_message() {
		return $this->message;
	}
}
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}
function wp_remote_post( $url, $args = array() ) {
	WP::$posts[] = compact( 'url', 'args' );
	return array_shift( WP::$replies ) ?? reply( 200, '' );
}
/** A reply as wp_remote_post returns it. */
function reply( int $status, string $body ): array {
	return array( 'response' => array( 'code' => $status, 'message' => '' ), 'body' => $body, 'headers' => array() );
}
function wp_remote_retrieve_response_code( $response ) {
	return is_wp_error( $response ) ? '' : $response['response']['code'];
}
function wp_remote_retrieve_body( $response ) {
	return is_wp_error( $response ) ? '' : $response['body'];
}

// Action Scheduler (bundled with WooCommerce): the queue is kept to be run by the test.
function as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	WP::$actions[] = array( 'delay' => 0, 'hook' => $hook, 'args' => $args, 'group' => $group );
	return count( WP::$actions );
}
function as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	// In seconds from now, to the nearest 10: the clock may tick between the snippet's time() and this one.
	WP::$actions[] = array( 'delay' => (int) round( ( $timestamp - time() ) / 10 ) * 10, 'hook' => $hook, 'args' => $args, 'group' => $group );
	return count( WP::$actions );
}
/**
 * Runs the actions queued so far as Action Scheduler's runner does (do_action with the args);
 * what they queue in turn waits for the next call.
 */
function run_scheduled_actions(): int {
	$due          = WP::$actions;
	WP::$actions = array();
	foreach ( $due as $action ) {
		do_action( $action['hook'], ...array_values( $action['args'] ) );
	}
	return count( $due );
}

// Options, users, admin screens.
function get_option( $name, $default = false ) {
	return WP::$options[ $name ] ?? $default;
}
function update_option( $name, $value, $autoload = null ) {
	WP::$options[ $name ] = $value;
	return true;
}
function delete_option( $name ) {
	unset( WP::$options[ $name ] );
	return true;
}
/** No user is logged in unless a case grants capabilities (a gateway's refund has none). */
function current_user_can( $capability ) {
	return in_array( $capability, WP::$capabilities, true );
}
function admin_url( $path = '' ) {
	return 'https://shop.example.vn/wp-admin/' . $path;
}
function add_query_arg( $key, $value, $url ) {
	return $url . ( str_contains( $url, '?' ) ? '&' : '?' ) . $key . '=' . $value;
}
function wp_nonce_url( $url, $action ) {
	return add_query_arg( '_wpnonce', 'nonce-' . $action, $url );
}
function check_admin_referer( $action ) {
	WP::$nonceChecks[] = $action;
	if ( ( $_GET['_wpnonce'] ?? '' ) !== 'nonce-' . $action ) {
		throw new RuntimeException( 'wp_die: the link you followed has expired' );
	}
	return 1;
}

// Orders, refunds, products.
class WC_Product {
	public function __construct( private string $sku ) {}
	public function get_sku() {
		return $this->sku;
	}
}
class WC_Order_Item_Product {
	public function __construct( private array $data, private ?WC_Product $product ) {}
	public function get_id() {
		return $this->data['id'];
	}
	public function get_name() {
		return $this->data['name'];
	}
	public function get_product_id() {
		return $this->data['product_id'];
	}
	public function get_variation_id() {
		return $this->data['variation_id'] ?? 0;
	}
	public function get_quantity() {
		return $this->data['quantity'];
	}
	public function get_total() {
		return $this->data['total'];
	}
	public function get_product() {
		return $this->product ?? false;
	}
}
class WC_Order {
	public array $meta = array();
	public array $notes = array();
	public function __construct( private int $id = 0 ) {}
	public function get_id() {
		return $this->id;
	}
	public function get_order_number() {
		return (string) $this->id;
	}
	public function get_edit_order_url() {
		return admin_url( 'admin.php?page=wc-orders&action=edit&id=' . $this->id );
	}
	/** As WC_Data::get_meta with $single = true: '' when absent. */
	public function get_meta( $key = '', $single = true ) {
		return $this->meta[ $key ] ?? '';
	}
	public function update_meta_data( $key, $value ) {
		$this->meta[ $key ] = $value;
	}
	public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
		$this->notes[] = $note;
		return count( $this->notes );
	}
}
class WC_Order_Refund extends WC_Order {
	/** @param WC_Order_Item_Product[] $items */
	public function __construct( int $id, private string $amount, private string $reason, private array $items ) {
		parent::__construct( $id );
	}
	public function get_amount() {
		return $this->amount;
	}
	public function get_reason() {
		return $this->reason;
	}
	public function get_items( $types = 'line_item' ) {
		return $this->items;
	}
}
function wc_get_order( $id ) {
	return WP::$orders[ $id ] ?? false;
}
function add_order( WC_Order $order ): WC_Order {
	WP::$orders[ $order->get_id() ] = $order;
	return $order;
}

// Checks: each one names what it promises; the run fails when any did not hold.
final class Checks {
	public static int $passed = 0;
	public static array $failed = array();
}
function check( string $promise, $expected, $actual ): void {
	if ( $expected === $actual ) {
		++Checks::$passed;
		return;
	}
	Checks::$failed[] = sprintf(
		"%s\n    expected %s\n    got      %s",
		$promise,
		json_encode( $expected, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ),
		json_encode( $actual, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE )
	);
}
function check_true( string $promise, bool $holds ): void {
	check( $promise, true, $holds );
}
/** Prints the outcome and exits non-zero when a check failed. */
function report( string $file ): void {
	foreach ( Checks::$failed as $failure ) {
		fwrite( STDERR, "FAIL {$file}: {$failure}\n" );
	}
	printf( "%s: %d checks passed, %d failed\n", $file, Checks::$passed, count( Checks::$failed ) );
	exit( Checks::$failed ? 1 : 0 );
}
