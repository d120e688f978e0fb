<?php
/**
 * `npm run test:php`: each *.test.php in its own php process (the snippets declare global
 * functions and constants once); fails when any of them does.
 */
$failed = 0;
foreach ( glob( __DIR__ . '/*.test.php' ) as $test ) {
	passthru( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( $test ), $code );
	$failed += 0 === $code ? 0 : 1;
}
exit( $failed > 0 ? 1 : 0 );
