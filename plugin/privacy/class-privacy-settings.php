<?php
/**
 * How long the chat service keeps closed conversations: a site option and its screen (Chatflows → Privacy).
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * The option `chatflows_retention_days` (0–3650; 0: keep until erased), registered with the Settings API (and
 * in the REST API's `/wp/v2/settings`), edited by administrators, and sent to the service as
 * `ServiceConfiguration.retention` whenever it changes.
 */
final class Privacy_Settings {

	const OPTION     = 'chatflows_retention_days';
	const GROUP      = 'chatflows_privacy';
	const PAGE_SLUG  = 'chatflows-privacy';
	const MAX_DAYS   = 3650;
	const CAPABILITY = 'manage_options';

	/**
	 * Adds the hooks.
	 */
	public static function boot() {
		add_action( 'admin_init', array( self::class, 'register' ) );
		add_action( 'rest_api_init', array( self::class, 'register' ) );
		add_action( 'admin_init', array( self::class, 'add_fields' ) );
		// After Admin::register_menu(), so the page sits below the plugin's other pages.
		add_action( 'admin_menu', array( self::class, 'add_page' ), 20 );
		add_action( 'add_option_' . self::OPTION, array( self::class, 'on_change' ) );
		add_action( 'update_option_' . self::OPTION, array( self::class, 'on_change' ) );
	}

	/**
	 * Days closed conversations are kept; 0: until erased.
	 *
	 * @return int
	 */
	public static function retention_days() {
		$days = get_option( self::OPTION, 0 );
		return is_numeric( $days ) ? max( 0, min( self::MAX_DAYS, (int) $days ) ) : 0;
	}

	/**
	 * Registers the option with the Settings API and the REST API.
	 */
	public static function register() {
		register_setting(
			self::GROUP,
			self::OPTION,
			array(
				'type'              => 'integer',
				'description'       => __( 'Days the chat service keeps closed conversations; 0 keeps them until they are erased.', 'chatflows' ),
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'default'           => 0,
				'show_in_rest'      => array(
					'schema' => array(
						'type'    => 'integer',
						'minimum' => 0,
						'maximum' => self::MAX_DAYS,
					),
				),
			)
		);
	}

	/**
	 * Sanitize callback: a whole number of days from 0 to 3650. Anything else keeps the stored value and says why.
	 *
	 * @param mixed $value Submitted value.
	 * @return int
	 */
	public static function sanitize( $value ) {
		$text = is_scalar( $value ) ? trim( (string) $value ) : '';
		if ( preg_match( '/^\d{1,4}$/', $text ) && (int) $text <= self::MAX_DAYS ) {
			return (int) $text;
		}
		$code = self::OPTION . '_invalid';
		if ( ! in_array( $code, array_column( get_settings_errors( self::OPTION ), 'code' ), true ) ) {
			add_settings_error(
				self::OPTION,
				$code,
				sprintf(
					/* translators: %d: the largest number of days allowed. */
					__( 'Keep closed conversations for: enter a whole number of days from 0 to %d. Nothing was saved.', 'chatflows' ),
					self::MAX_DAYS
				)
			);
		}
		return self::retention_days();
	}

	/**
	 * A changed retention period goes to the service at once.
	 */
	public static function on_change() {
		Service_Sync::push();
	}

	/**
	 * Adds Chatflows → Privacy for administrators.
	 *
	 * @return string|false The page's hook name, or false for users who may not see it.
	 */
	public static function add_page() {
		return add_submenu_page(
			Admin::INBOX_SLUG,
			__( 'Chat privacy', 'chatflows' ),
			__( 'Privacy', 'chatflows' ),
			self::CAPABILITY,
			self::PAGE_SLUG,
			array( self::class, 'render_page' )
		);
	}

	/**
	 * The screen's section and field.
	 */
	public static function add_fields() {
		add_settings_section(
			'chatflows_retention',
			__( 'Retention', 'chatflows' ),
			array( self::class, 'render_section' ),
			self::PAGE_SLUG
		);
		add_settings_field(
			self::OPTION,
			__( 'Keep closed conversations for', 'chatflows' ),
			array( self::class, 'render_field' ),
			self::PAGE_SLUG,
			'chatflows_retention',
			array( 'label_for' => self::OPTION )
		);
	}

	/**
	 * The settings screen.
	 */
	public static function render_page() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage these settings.', 'chatflows' ), 403 );
		}
		echo '<div class="wrap"><h1>' . esc_html__( 'Chat privacy', 'chatflows' ) . '</h1>';
		// Outside Settings, WordPress shows no notices itself: "Settings saved." and this option's errors.
		settings_errors();
		echo '<form method="post" action="' . esc_url( admin_url( 'options.php' ) ) . '">';
		settings_fields( self::GROUP );
		do_settings_sections( self::PAGE_SLUG );
		submit_button();
		echo '</form></div>';
	}

	/**
	 * What retention means, above the field.
	 */
	public static function render_section() {
		echo '<p>' . esc_html__( 'The chat service deletes closed conversations older than this, with their messages, files, tickets and survey answers. Personal data of one person can be exported or erased at any time under Tools.', 'chatflows' ) . '</p>';
	}

	/**
	 * The number of days.
	 */
	public static function render_field() {
		printf(
			'<input type="number" id="%1$s" name="%1$s" value="%2$s" min="0" max="%3$s" step="1" class="small-text" aria-describedby="%1$s-description" /> %4$s<p class="description" id="%1$s-description">%5$s</p>',
			esc_attr( self::OPTION ),
			esc_attr( (string) self::retention_days() ),
			esc_attr( (string) self::MAX_DAYS ),
			esc_html__( 'days', 'chatflows' ),
			esc_html__( '0 keeps closed conversations until they are erased.', 'chatflows' )
		);
	}
}
