<?php
/**
 * Test only: a consent plugin in miniature, implementing the browser side of the WP Consent API the way consent
 * plugins do: an opt-in consent type, `wp_has_consent( category )` answering from the visitor's choices (kept in
 * a `wp_consent_<category>` cookie, as the API keeps them), and `wp_set_consent( category, value )`, which
 * stores a choice and fires `wp_listen_for_consent_change` with `{ category: value }`. The end-to-end tests copy
 * this file into the site's wp-content/mu-plugins, and remove it afterwards.
 *
 * @package Chatflows
 */

add_action(
	'wp_head',
	static function () {
		?>
<script>
( function () {
	window.wp_consent_type = 'optin';
	function choice( category ) {
		var match = document.cookie.match( new RegExp( '(?:^|; )wp_consent_' + category + '=([^;]*)' ) );
		return match ? match[ 1 ] : '';
	}
	window.wp_has_consent = function ( category ) {
		return choice( category ) === 'allow';
	};
	window.wp_set_consent = function ( category, value ) {
		if ( choice( category ) === value ) {
			return;
		}
		document.cookie = 'wp_consent_' + category + '=' + value + ';path=/';
		var changed = {};
		changed[ category ] = value;
		document.dispatchEvent( new CustomEvent( 'wp_listen_for_consent_change', { detail: changed } ) );
	};
} )();
</script>
		<?php
	},
	1
);
