<?php
/**
 * The plugin's translations, and strings in a language other than the page's.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Loads the `chatflows` text domain from `languages/`, resolves a chat's language, and runs code with the
 * plugin's strings in a given locale (a chat fixed to Danish shows Danish on an English page).
 */
final class I18n {

	const TEXT_DOMAIN = 'chatflows';

	/** The language the plugin's strings are written in. */
	const SOURCE_LOCALE = 'en_US';

	/**
	 * Catalogs by locale, read once per request.
	 *
	 * @var array<string,\Translations|\NOOP_Translations>
	 */
	private static $catalogs = array();

	/**
	 * The locale in_locale() switched the plugin's strings to, while it runs; null otherwise.
	 *
	 * @var string|null
	 */
	private static $switched_to = null;

	/**
	 * Loads the text domain on init, before the plugin's other init callbacks register anything with labels.
	 */
	public static function boot() {
		add_action( 'init', array( self::class, 'load_textdomain' ), 0 );
		add_action( 'change_locale', array( self::class, 'load_textdomain_in' ) );
	}

	/**
	 * Loads the translations of the current locale: a file in `wp-content/languages/plugins/` first (a site's
	 * own translations), else the plugin's `languages/` folder.
	 */
	public static function load_textdomain() {
		// WordPress loads a directory plugin's translations by itself only from translate.wordpress.org's language
		// packs; this plugin ships its own in languages/ (installed from a zip, or before a pack exists), which
		// only this call reads. It stays ahead of them: a site's own file in wp-content/languages wins.
		load_plugin_textdomain( self::TEXT_DOMAIN, false, dirname( plugin_basename( PLUGIN_FILE ) ) . '/languages' ); // phpcs:ignore PluginCheck.CodeAnalysis.DiscouragedFunctions.load_plugin_textdomainFound -- see above.
	}

	/**
	 * Loads the translations of a locale the site switched to (switch_to_locale() and back). WordPress 6.1
	 * reloads a plugin's domain only when its first lookup found a file, so an English page that switches
	 * to Danish would otherwise stay English.
	 *
	 * @param string $locale The locale switched to.
	 */
	public static function load_textdomain_in( $locale ) {
		unload_textdomain( self::TEXT_DOMAIN, true );
		if ( self::SOURCE_LOCALE === $locale ) {
			return;
		}
		$file = self::TEXT_DOMAIN . '-' . $locale . '.mo';
		if ( ! load_textdomain( self::TEXT_DOMAIN, WP_LANG_DIR . '/plugins/' . $file, $locale ) ) {
			load_textdomain( self::TEXT_DOMAIN, Plugin::path( 'languages/' . $file ), $locale );
		}
	}

	/**
	 * The locale a chat speaks: the chatflow's fixed language, or for `page` the page's locale, matched to a
	 * locale the plugin has texts for (same locale, else same language, e.g. nl_BE → nl_NL), else English.
	 *
	 * @param string      $language    The chatflow's `options.language`: `page` or a locale.
	 * @param string|null $page_locale The page's locale; the current one when null.
	 * @return string One of Chatflow_Settings::LOCALES.
	 */
	public static function chat_locale( $language, $page_locale = null ) {
		$wanted = 'page' === $language ? ( null === $page_locale ? determine_locale() : $page_locale ) : (string) $language;
		return self::match_locale( $wanted, Chatflow_Settings::LOCALES ) ?? self::SOURCE_LOCALE;
	}

	/**
	 * The locale of a list that fits a wanted one: the same locale (da-DK or da_dk is da_DK), else the first
	 * one of the same language (nl_BE or nl is nl_NL).
	 *
	 * @param string   $wanted  WordPress locale or BCP 47 tag.
	 * @param string[] $locales WordPress locales to choose from.
	 * @return string|null Null when none fits.
	 */
	public static function match_locale( $wanted, array $locales ) {
		$wanted = str_replace( '-', '_', (string) $wanted );
		foreach ( $locales as $locale ) {
			if ( 0 === strcasecmp( $locale, $wanted ) ) {
				return $locale;
			}
		}
		$prefix = strtolower( (string) strtok( $wanted, '_' ) ) . '_';
		foreach ( $locales as $locale ) {
			if ( 0 === strpos( strtolower( $locale ), $prefix ) ) {
				return $locale;
			}
		}
		return null;
	}

	/**
	 * The BCP 47 language tag of a WordPress locale, as browsers' `Intl` and `lang` take it (da_DK → da-DK).
	 *
	 * @param string $locale WordPress locale.
	 * @return string
	 */
	public static function language_tag( $locale ) {
		return str_replace( '_', '-', (string) $locale );
	}

	/**
	 * Runs a callback with the plugin's own strings translated into a locale, then puts the page's back.
	 *
	 * Only this text domain changes, not the site's locale: switch_to_locale() refuses a language whose core
	 * translations are not installed (an English site whose chat is Danish), in wp-admin it reloads the
	 * user's locale rather than the one asked for (WordPress 6.1), and it reloads every text domain.
	 *
	 * @param string   $locale   WordPress locale, e.g. da_DK.
	 * @param callable $callback Code calling __() and friends with the `chatflows` domain.
	 * @return mixed What the callback returns.
	 */
	public static function in_locale( $locale, callable $callback ) {
		global $l10n;
		$outer_switch = self::$switched_to;
		if ( ( $outer_switch ?? determine_locale() ) === $locale ) {
			return $callback();
		}
		$had_catalog               = isset( $l10n[ self::TEXT_DOMAIN ] );
		$page_catalog              = $had_catalog ? $l10n[ self::TEXT_DOMAIN ] : null;
		$l10n[ self::TEXT_DOMAIN ] = self::catalog( $locale ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- swapped back below.
		self::$switched_to         = $locale;
		try {
			return $callback();
		} finally {
			self::$switched_to = $outer_switch;
			if ( $had_catalog ) {
				$l10n[ self::TEXT_DOMAIN ] = $page_catalog; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
			} else {
				unset( $l10n[ self::TEXT_DOMAIN ] );
			}
		}
	}

	/**
	 * The plugin's catalog in a locale, from the same places load_textdomain() reads; no translations for
	 * English or a locale without a file.
	 *
	 * @param string $locale WordPress locale.
	 * @return \Translations|\NOOP_Translations
	 */
	private static function catalog( $locale ) {
		if ( ! isset( self::$catalogs[ $locale ] ) ) {
			self::$catalogs[ $locale ] = new \NOOP_Translations();
			if ( self::SOURCE_LOCALE !== $locale ) {
				$file = self::TEXT_DOMAIN . '-' . $locale . '.mo';
				foreach ( array( WP_LANG_DIR . '/plugins/' . $file, Plugin::path( 'languages/' . $file ) ) as $path ) {
					// Core's own filter, applied as load_textdomain() applies it, so that plugins that move
					// translation files (a multilingual plugin, a site's overrides) see these lookups too.
					/** This filter is documented in wp-includes/l10n.php */
					$path = apply_filters( 'load_textdomain_mofile', $path, self::TEXT_DOMAIN ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- core's hook, on purpose.
					$mo   = new \MO();
					if ( is_readable( $path ) && $mo->import_from_file( $path ) ) {
						self::$catalogs[ $locale ] = $mo;
						break;
					}
				}
			}
		}
		return self::$catalogs[ $locale ];
	}
}
