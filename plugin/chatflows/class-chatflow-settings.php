<?php
/**
 * A chatflow's settings: the one schema, defaults, validation and default texts.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Reads plugin/schema/chatflow-settings.json (the single definition the admin's TypeScript types are also
 * generated from), fills defaults, merges partial updates and validates, naming every offending field by
 * its path (e.g. `settings.availability.hours[1].end`).
 */
final class Chatflow_Settings {

	/** Locales a text can be stored in. */
	const LOCALES = array( 'en_US', 'da_DK', 'nl_NL' );

	/** Where each default text is edited: settings path => key in default_texts(). */
	const TEXT_PATHS = array(
		'welcomeMessage'                      => 'welcome',
		'availability.awayMessage'            => 'away',
		'availability.waitMessage'            => 'wait',
		'emailCapture.message'                => 'emailCapture',
		'options.cookieConsent.text'          => 'cookieConsent',
		'options.dataConsent.text'            => 'dataConsent',
		'options.communicationsConsent.label' => 'communications',
		'options.survey.question'             => 'survey',
	);

	/**
	 * The schema with its definitions inlined, memoized per request.
	 *
	 * @var array|null
	 */
	private static $schema = null;

	/**
	 * The settings schema as WordPress's REST validation takes it: `$ref`s to the file's `definitions`
	 * replaced by the definitions themselves (rest_validate_value_from_schema knows no `$ref`).
	 *
	 * @return array JSON Schema (draft-04).
	 */
	public static function schema() {
		if ( null === self::$schema ) {
			// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file of the plugin.
			$raw         = json_decode( (string) file_get_contents( Plugin::path( 'plugin/schema/chatflow-settings.json' ) ), true );
			$definitions = $raw['definitions'];
			unset( $raw['definitions'], $raw['$schema'] );
			self::$schema = self::inline_refs( $raw, $definitions );
		}
		return self::$schema;
	}

	/**
	 * Replaces `{ "$ref": "#/definitions/x" }` by the definition, recursively.
	 *
	 * @param array $node        Schema node.
	 * @param array $definitions The file's definitions.
	 * @return array
	 */
	private static function inline_refs( array $node, array $definitions ) {
		if ( isset( $node['$ref'] ) ) {
			$name = substr( $node['$ref'], strlen( '#/definitions/' ) );
			unset( $node['$ref'] );
			$node = array_merge( self::inline_refs( $definitions[ $name ], $definitions ), $node );
		}
		foreach ( $node as $key => $child ) {
			if ( is_array( $child ) ) {
				$node[ $key ] = self::inline_refs( $child, $definitions );
			}
		}
		return $node;
	}

	/**
	 * Complete settings made of every default.
	 *
	 * @return array
	 */
	public static function defaults() {
		return self::defaults_of( self::schema() );
	}

	/**
	 * Default value of a schema node.
	 *
	 * @param array $schema Schema node.
	 * @return mixed
	 */
	private static function defaults_of( array $schema ) {
		if ( self::is_mergeable_object( $schema ) ) {
			$value = array();
			foreach ( $schema['properties'] as $key => $child ) {
				$value[ $key ] = self::defaults_of( $child );
			}
			return $value;
		}
		return $schema['default'] ?? null;
	}

	/**
	 * Objects with required properties are merged key by key; other objects (texts per language) and
	 * arrays are replaced whole, so that removing a language resets it to its default.
	 *
	 * @param array $schema Schema node.
	 * @return bool
	 */
	private static function is_mergeable_object( array $schema ) {
		return 'object' === ( $schema['type'] ?? '' ) && ! empty( $schema['required'] );
	}

	/**
	 * Brings settings stored by an older version to the current schema, before they are merged onto the
	 * defaults. Settings stored complete keep their values (a new default never changes a saved chatflow).
	 *
	 * @param array $stored Stored settings.
	 * @return array
	 */
	public static function upgrade( array $stored ) {
		// The heading's "specific users and teams" used to mean the assigned ones: keep showing those.
		if ( isset( $stored['heading'] ) && is_array( $stored['heading'] ) && ! array_key_exists( 'userIds', $stored['heading'] ) ) {
			$assignment                   = isset( $stored['assignment'] ) && is_array( $stored['assignment'] ) ? $stored['assignment'] : array();
			$stored['heading']['userIds'] = array_values( (array) ( $assignment['userIds'] ?? array() ) );
			$stored['heading']['teamIds'] = array_values( (array) ( $assignment['teamIds'] ?? array() ) );
		}
		// The subscription type used to be free text: anything but a known type becomes the default one.
		$communications = $stored['options']['communicationsConsent'] ?? null;
		if ( is_array( $communications ) && array_key_exists( 'subscriptionType', $communications ) ) {
			$types = self::schema()['properties']['options']['properties']['communicationsConsent']['properties']['subscriptionType']['enum'];
			if ( ! in_array( $communications['subscriptionType'], $types, true ) ) {
				$stored['options']['communicationsConsent']['subscriptionType'] = $types[0];
			}
		}
		return $stored;
	}

	/**
	 * Deep-merges partial settings onto a complete base.
	 *
	 * @param array $base    Complete settings.
	 * @param mixed $partial Partial settings from a request.
	 * @return mixed Merged settings; non-objects are returned as given, for validation to refuse.
	 */
	public static function merge( array $base, $partial ) {
		return self::merge_node( $base, $partial, self::schema() );
	}

	/**
	 * Merges one node.
	 *
	 * @param mixed $base    Stored value.
	 * @param mixed $partial Given value.
	 * @param array $schema  Schema node.
	 * @return mixed
	 */
	private static function merge_node( $base, $partial, array $schema ) {
		if ( ! self::is_mergeable_object( $schema ) || ! is_array( $partial ) || ! is_array( $base ) || ( $partial && wp_is_numeric_array( $partial ) ) ) {
			return $partial;
		}
		foreach ( $partial as $key => $value ) {
			$base[ $key ] = isset( $schema['properties'][ $key ], $base[ $key ] )
				? self::merge_node( $base[ $key ], $value, $schema['properties'][ $key ] )
				: $value;
		}
		return $base;
	}

	/**
	 * Validates complete settings: the schema first, then the rules across fields.
	 *
	 * @param mixed  $settings Settings.
	 * @param string $path     Name of the settings in messages.
	 * @return array<string,string> Messages by field path; empty when valid.
	 */
	public static function validate( $settings, $path = 'settings' ) {
		$errors = self::validate_node( $settings, self::schema(), $path );
		if ( ! $errors ) {
			$errors = self::validate_rules( $settings, $path );
		}
		return $errors;
	}

	/**
	 * Sanitizes valid settings to the schema's types (e.g. "5" to 5).
	 *
	 * @param array $settings Valid settings.
	 * @return array
	 */
	public static function sanitize( array $settings ) {
		return rest_sanitize_value_from_schema( $settings, self::schema() );
	}

	/**
	 * Walks the schema so that every offending field is named, not only the first one WordPress finds.
	 *
	 * @param mixed  $value  Value.
	 * @param array  $schema Schema node.
	 * @param string $path   Field path.
	 * @return array<string,string>
	 */
	private static function validate_node( $value, array $schema, $path ) {
		$type = $schema['type'] ?? '';
		if ( 'object' === $type ) {
			if ( ! is_array( $value ) || ( $value && wp_is_numeric_array( $value ) ) ) {
				/* translators: %s: field name, e.g. settings.display. */
				return array( $path => sprintf( __( '%s must be an object.', 'chatflows' ), $path ) );
			}
			$errors = array();
			foreach ( $schema['required'] ?? array() as $key ) {
				if ( ! array_key_exists( $key, $value ) ) {
					/* translators: %s: field name, e.g. settings.display.accentColor. */
					$errors[ "$path.$key" ] = sprintf( __( '%s is required.', 'chatflows' ), "$path.$key" );
				}
			}
			foreach ( $value as $key => $child ) {
				$child_path = "$path.$key";
				if ( ! isset( $schema['properties'][ $key ] ) ) {
					/* translators: %s: field name, e.g. settings.colour. */
					$errors[ $child_path ] = sprintf( __( '%s is not a known setting.', 'chatflows' ), $child_path );
					continue;
				}
				$errors += self::validate_node( $child, $schema['properties'][ $key ], $child_path );
			}
			return $errors;
		}
		if ( 'array' === $type ) {
			// WordPress would take "a,b" for a list: settings never come as text.
			if ( ! is_array( $value ) || ( $value && ! wp_is_numeric_array( $value ) ) ) {
				/* translators: %s: field name, e.g. settings.heading.userIds. */
				return array( $path => sprintf( __( '%s must be a list.', 'chatflows' ), $path ) );
			}
			$shallow = $schema;
			unset( $shallow['items'] );
			$result = rest_validate_value_from_schema( $value, $shallow, $path );
			if ( is_wp_error( $result ) ) {
				return array( $path => $result->get_error_message() );
			}
			$errors = array();
			foreach ( array_values( $value ) as $index => $item ) {
				$errors += self::validate_node( $item, $schema['items'], "{$path}[{$index}]" );
			}
			return $errors;
		}
		$result = rest_validate_value_from_schema( $value, $schema, $path );
		if ( is_wp_error( $result ) ) {
			// A colour: WordPress's format takes #RGB too, the schema's pattern (what the widget reads) #RRGGBB only.
			if ( 'hex-color' === ( $schema['format'] ?? '' ) && in_array( $result->get_error_code(), array( 'rest_invalid_hex_color', 'rest_invalid_pattern' ), true ) ) {
				/* translators: %s: field name. */
				return array( $path => sprintf( __( '%s must be a colour such as #2563eb.', 'chatflows' ), $path ) );
			}
			return array( $path => $result->get_error_message() );
		}
		return array();
	}

	/**
	 * Rules across fields and against the site's data, on settings the schema accepted.
	 *
	 * @param array  $settings Settings.
	 * @param string $path     Name of the settings in messages.
	 * @return array<string,string>
	 */
	private static function validate_rules( array $settings, $path ) {
		$errors = array();

		$inbox_id = (int) $settings['inboxId'];
		if ( $inbox_id > 0 && ! Directory::inbox( $inbox_id ) ) {
			$errors[ "$path.inboxId" ] = __( 'Choose an existing inbox.', 'chatflows' );
		}

		$heading = $settings['heading'];
		if ( 'custom_branding' === $heading['mode'] && '' === trim( $heading['teamName'] ) ) {
			$errors[ "$path.heading.teamName" ] = __( 'Custom branding needs a team name.', 'chatflows' );
		}
		if ( $heading['imageId'] > 0 && 'attachment' !== get_post_type( $heading['imageId'] ) ) {
			$errors[ "$path.heading.imageId" ] = __( 'Choose an image from the media library.', 'chatflows' );
		}

		$errors += self::validate_people( $heading['userIds'], $heading['teamIds'], "$path.heading" );
		$errors += self::validate_assignment( $settings['assignment'], "$path.assignment" );
		$errors += self::validate_availability( $settings['availability'], "$path.availability" );

		$knowledge_base = $settings['knowledgeBase'];
		if ( $knowledge_base['enabled'] ) {
			if ( 'category' === $knowledge_base['sourceType'] && ! term_exists( (int) $knowledge_base['categoryId'], 'category' ) ) {
				$errors[ "$path.knowledgeBase.categoryId" ] = __( 'Choose an existing category.', 'chatflows' );
			}
			if ( 'post_type' === $knowledge_base['sourceType'] ) {
				$post_type = get_post_type_object( $knowledge_base['postType'] );
				if ( ! $post_type || ! $post_type->public ) {
					$errors[ "$path.knowledgeBase.postType" ] = __( 'Choose a public type of content.', 'chatflows' );
				}
			}
		}

		$errors += Targeting_Rules::validate( $settings['target'], "$path.target" );

		$privacy_url = $settings['options']['dataConsent']['privacyPolicyUrl'];
		if ( '' !== $privacy_url && ( ! preg_match( '#^https?://[^\s]+$#i', $privacy_url ) || esc_url_raw( $privacy_url ) !== $privacy_url ) ) {
			$errors[ "$path.options.dataConsent.privacyPolicyUrl" ] = __( 'The privacy policy link must be an http:// or https:// address.', 'chatflows' );
		}
		return $errors;
	}

	/**
	 * Assignment: the users must be agents, the teams must exist, and "on" needs somebody.
	 *
	 * @param array  $assignment Assignment settings.
	 * @param string $path       Field path.
	 * @return array<string,string>
	 */
	private static function validate_assignment( array $assignment, $path ) {
		$errors = self::validate_people( $assignment['userIds'], $assignment['teamIds'], $path );
		if ( $assignment['enabled'] && ! $assignment['userIds'] && ! $assignment['teamIds'] ) {
			$errors[ "{$path}.userIds" ] = __( 'Assignment is on: choose at least one user or team to assign chats to.', 'chatflows' );
		}
		return $errors;
	}

	/**
	 * Chosen users must be agents and chosen teams must exist (assignment and the heading's people).
	 *
	 * @param array  $user_ids User IDs.
	 * @param array  $team_ids Team IDs.
	 * @param string $path     Path of the object holding `userIds` and `teamIds`.
	 * @return array<string,string>
	 */
	private static function validate_people( array $user_ids, array $team_ids, $path ) {
		$errors = array();
		foreach ( array_values( $user_ids ) as $index => $user_id ) {
			if ( ! Directory::agent_user( (int) $user_id ) ) {
				$errors[ "{$path}.userIds[{$index}]" ] = __( 'This user does not exist or may not answer chats.', 'chatflows' );
			}
		}
		foreach ( array_values( $team_ids ) as $index => $team_id ) {
			if ( ! Directory::team( (int) $team_id ) ) {
				$errors[ "{$path}.teamIds[{$index}]" ] = __( 'This team does not exist.', 'chatflows' );
			}
		}
		return $errors;
	}

	/**
	 * Availability: a real time zone, and office hours that are valid, in order and apart on each day.
	 *
	 * @param array  $availability Availability settings.
	 * @param string $path         Field path.
	 * @return array<string,string>
	 */
	private static function validate_availability( array $availability, $path ) {
		$errors = array();
		if ( ! in_array( $availability['timeZone'], timezone_identifiers_list(), true ) ) {
			$errors[ "$path.timeZone" ] = __( 'Choose a time zone from the list, e.g. Europe/Copenhagen.', 'chatflows' );
		}
		if ( 'office_hours' === $availability['mode'] && ! $availability['hours'] ) {
			$errors[ "$path.hours" ] = __( 'Add at least one range of office hours.', 'chatflows' );
		}

		$by_day = array();
		foreach ( array_values( $availability['hours'] ) as $index => $range ) {
			$range_path = "{$path}.hours[{$index}]";
			$start      = self::minutes( $range['start'], false );
			$end        = self::minutes( $range['end'], true );
			if ( null === $start ) {
				$errors[ "$range_path.start" ] = __( 'Enter a time as HH:MM, from 00:00 to 23:59.', 'chatflows' );
			}
			if ( null === $end ) {
				$errors[ "$range_path.end" ] = __( 'Enter a time as HH:MM, from 00:00 to 24:00.', 'chatflows' );
			}
			if ( null === $start || null === $end ) {
				continue;
			}
			if ( $end === $start ) {
				$errors[ "$range_path.end" ] = __( 'This range is empty: the end must be after the start.', 'chatflows' );
				continue;
			}
			if ( $end < $start ) {
				$errors[ "$range_path.end" ] = __( 'The end must be after the start.', 'chatflows' );
				continue;
			}
			$by_day[ (int) $range['day'] ][] = array( $start, $end, $range_path, $index );
		}
		foreach ( $by_day as $ranges ) {
			usort(
				$ranges,
				static function ( $a, $b ) {
					// By start, then list order: of two ranges starting together, the later one is named.
					return array( $a[0], $a[3] ) <=> array( $b[0], $b[3] );
				}
			);
			// Every range starting before an earlier-starting one ends is named, not only the next one.
			$latest_end = 0;
			foreach ( $ranges as $range ) {
				if ( $range[0] < $latest_end ) {
					$errors[ $range[2] . '.start' ] = __( 'This range overlaps another range on the same day.', 'chatflows' );
				}
				$latest_end = max( $latest_end, $range[1] );
			}
		}
		return $errors;
	}

	/**
	 * Minutes since midnight of an `HH:MM` time.
	 *
	 * @param string $time       Time.
	 * @param bool   $allow_2400 Whether `24:00` (end of day) is allowed.
	 * @return int|null Null when not a valid time.
	 */
	private static function minutes( $time, $allow_2400 ) {
		if ( $allow_2400 && '24:00' === $time ) {
			return 24 * 60;
		}
		if ( ! preg_match( '/^([01][0-9]|2[0-3]):([0-5][0-9])$/', (string) $time, $match ) ) {
			return null;
		}
		return (int) $match[1] * 60 + (int) $match[2];
	}

	/**
	 * The settings as JSON needs them: texts per language become objects even when empty.
	 *
	 * @param array $settings Settings.
	 * @return array|object
	 */
	public static function to_json( array $settings ) {
		return self::json_node( $settings, self::schema() );
	}

	/**
	 * Shapes one node.
	 *
	 * @param mixed $value  Value.
	 * @param array $schema Schema node.
	 * @return mixed
	 */
	private static function json_node( $value, array $schema ) {
		$type = $schema['type'] ?? '';
		if ( 'object' === $type && is_array( $value ) ) {
			foreach ( $value as $key => $child ) {
				if ( isset( $schema['properties'][ $key ] ) ) {
					$value[ $key ] = self::json_node( $child, $schema['properties'][ $key ] );
				}
			}
			return (object) $value;
		}
		if ( 'array' === $type && is_array( $value ) ) {
			return array_map(
				static function ( $item ) use ( $schema ) {
					return self::json_node( $item, $schema['items'] );
				},
				array_values( $value )
			);
		}
		return $value;
	}

	/**
	 * Default texts, translated into the current locale.
	 *
	 * @return array<string,string> By text key.
	 */
	public static function default_texts() {
		return array(
			'welcome'        => __( 'Hi! How can we help you today?', 'chatflows' ),
			'away'           => __( 'We are away right now. Leave a message and we will get back to you by e-mail.', 'chatflows' ),
			'wait'           => __( 'Everyone on our team is busy right now. We will be with you as soon as we can.', 'chatflows' ),
			'emailCapture'   => __( 'What is your e-mail address, so that we can follow up if we get disconnected?', 'chatflows' ),
			'cookieConsent'  => __( 'We use cookies to keep this chat working between pages. Do you accept chat cookies?', 'chatflows' ),
			'dataConsent'    => __( 'To chat with us, we need to store and process the personal data you share in this conversation.', 'chatflows' ),
			/* translators: %s: the site's name. The default label of the checkbox that subscribes the visitor to communications. */
			'communications' => sprintf( __( 'I agree to receive other communications from %s.', 'chatflows' ), get_bloginfo( 'name' ) ),
			'survey'         => __( 'How would you rate this conversation?', 'chatflows' ),
		);
	}

	/**
	 * Default texts in a locale, whatever the locale of the page or admin screen asking.
	 *
	 * @param string $locale One of LOCALES.
	 * @return array<string,string> By text key.
	 */
	public static function default_texts_in( $locale ) {
		return I18n::in_locale( $locale, array( self::class, 'default_texts' ) );
	}

	/**
	 * Every default text in every locale, by the settings path it is edited at, for the editor to show what
	 * an empty text (or "Reset to default") stands for in the language being edited.
	 *
	 * @return array<string,array<string,string>> Path => locale => text.
	 */
	public static function default_texts_by_path() {
		$by_locale = array();
		foreach ( self::LOCALES as $locale ) {
			$by_locale[ $locale ] = self::default_texts_in( $locale );
		}
		$texts = array();
		foreach ( self::TEXT_PATHS as $path => $key ) {
			foreach ( self::LOCALES as $locale ) {
				$texts[ $path ][ $locale ] = $by_locale[ $locale ][ $key ];
			}
		}
		return $texts;
	}

	/**
	 * A stored text in a locale, or that locale's default text when it has none (or only spaces).
	 *
	 * @param array  $localized Texts by locale.
	 * @param string $key       Key in default_texts().
	 * @param string $locale    Locale.
	 * @return string Plain text.
	 */
	public static function text( $localized, $key, $locale ) {
		if ( is_array( $localized ) && isset( $localized[ $locale ] ) && '' !== trim( (string) $localized[ $locale ] ) ) {
			return (string) $localized[ $locale ];
		}
		return self::default_texts_in( $locale )[ $key ];
	}
}
