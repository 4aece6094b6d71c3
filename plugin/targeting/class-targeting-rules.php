<?php
/**
 * Targeting rules: evaluation and save-time checks.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Where a chatflow shows: URL, query parameter and visitor rules, in groups (every rule of a group holds:
 * AND; any group may match: OR), with exclusions that always win.
 *
 * The twin of the browser's engine (widget/src/targeting); both pass the fixtures in test/fixtures/targeting.
 * URLs compare without their scheme, fragment, case and trailing slash; `%XX` escapes that spell UTF-8 are
 * decoded; a rule value starting with `/` compares with the path only, any other with `host/path`. Visitor
 * rules (contact, user, role, device, referrer, language) are left open when the visitor is not known, which is
 * the case when a page renders: the loader decides them in the browser, so the HTML never depends on the visitor.
 */
final class Targeting_Rules {

	/** Operators each field takes. */
	const OPERATORS = array(
		'url'      => array( 'is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with', 'matches' ),
		'query'    => array( 'equals', 'contains', 'present' ),
		'contact'  => array( 'is' ),
		'user'     => array( 'is' ),
		'role'     => array( 'is', 'is_not' ),
		'device'   => array( 'is', 'is_not' ),
		'referrer' => array( 'is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with', 'matches' ),
		'language' => array( 'is', 'is_not' ),
	);

	/** The values of the fields that are a choice. */
	const CHOICES = array(
		'contact' => array( 'known', 'unknown' ),
		'user'    => array( 'logged_in', 'logged_out' ),
		'device'  => array( 'desktop', 'tablet', 'mobile' ),
	);

	/** The most wildcards a pattern may have (each one costs matching time). */
	const MAX_WILDCARDS = 4;

	/**
	 * Decodes each run of `%XX` escapes that spells UTF-8; other runs stay as written.
	 *
	 * @param string $text Text.
	 * @return string
	 */
	public static function decode_percent( $text ) {
		return (string) preg_replace_callback(
			'/(?:%[0-9a-fA-F]{2})+/',
			static function ( $run ) {
				$decoded = rawurldecode( $run[0] );
				return mb_check_encoding( $decoded, 'UTF-8' ) ? $decoded : $run[0];
			},
			$text
		);
	}

	/**
	 * Lower case, escapes decoded.
	 *
	 * @param string $text Text.
	 * @return string
	 */
	private static function comparable( $text ) {
		return mb_strtolower( self::decode_percent( $text ), 'UTF-8' );
	}

	/**
	 * Takes a URL apart; a fragment is dropped.
	 *
	 * @param string $url Absolute or relative URL.
	 * @return array{host:string,path:string,query:string}
	 */
	public static function parse_url( $url ) {
		$rest = trim( (string) $url );
		$host = '';
		if ( preg_match( '#^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?//([^/?\#]*)#', $rest, $authority ) ) {
			$rest   = (string) substr( $rest, strlen( $authority[0] ) );
			$at     = strrpos( $authority[2], '@' );
			$host   = strtolower( false === $at ? $authority[2] : substr( $authority[2], $at + 1 ) );
			$scheme = strtolower( $authority[1] );
			if ( ( 'http' === $scheme && ':80' === substr( $host, -3 ) ) || ( 'https' === $scheme && ':443' === substr( $host, -4 ) ) ) {
				$host = substr( $host, 0, strrpos( $host, ':' ) );
			}
		}
		$hash = strpos( $rest, '#' );
		if ( false !== $hash ) {
			$rest = substr( $rest, 0, $hash );
		}
		$question = strpos( $rest, '?' );
		$path     = false === $question ? $rest : substr( $rest, 0, $question );
		return array(
			'host'  => $host,
			'path'  => '' === $path ? '/' : $path,
			'query' => false === $question ? '' : substr( $rest, $question + 1 ),
		);
	}

	/**
	 * A compared text ending in exactly one slash.
	 *
	 * @param string $key Compared text.
	 * @return string
	 */
	private static function with_slash( $key ) {
		return rtrim( $key, '/' ) . '/';
	}

	/**
	 * A compared text without trailing slashes (the root path stays `/`).
	 *
	 * @param string $key Compared text.
	 * @return string
	 */
	private static function without_slash( $key ) {
		$trimmed = rtrim( $key, '/' );
		return '' === $trimmed && '/' === substr( $key, 0, 1 ) ? '/' : $trimmed;
	}

	/**
	 * The compared text of a rule's value: a full URL loses its scheme.
	 *
	 * @param string $value Rule value.
	 * @return string
	 */
	private static function rule_key( $value ) {
		// A request evaluates the same few rules again and again.
		static $keys = array();
		$value       = trim( $value );
		if ( ! isset( $keys[ $value ] ) ) {
			if ( preg_match( '#^https?://#i', $value ) ) {
				$parts          = self::parse_url( $value );
				$keys[ $value ] = $parts['host'] . self::comparable( $parts['path'] );
			} else {
				$keys[ $value ] = self::comparable( $value );
			}
		}
		return $keys[ $value ];
	}

	/**
	 * Whether a wildcard pattern (`*`: any characters) matches a compared text; without a final `*`,
	 * trailing slashes do not matter.
	 *
	 * @param string $pattern Compared pattern.
	 * @param string $subject Compared text, ending in `/`.
	 * @return bool
	 */
	private static function wildcard_matches( $pattern, $subject ) {
		$whole = '*' === substr( $pattern, -1 ) ? $pattern : self::with_slash( $pattern );
		$parts = array_map(
			static function ( $part ) {
				return preg_quote( $part, '#' );
			},
			explode( '*', $whole )
		);
		return 1 === preg_match( '#^' . implode( '.*', $parts ) . '$#Dsu', $subject );
	}

	/**
	 * Whether a URL rule holds for a URL; an empty URL (no referrer) only satisfies the negative operators.
	 *
	 * @param string $operator Operator.
	 * @param string $value    Rule value.
	 * @param string $url      The page's (or referrer's) URL.
	 * @return bool
	 */
	public static function url_rule_holds( $operator, $value, $url ) {
		if ( '' === trim( (string) $url ) ) {
			return 'is_not' === $operator || 'not_contains' === $operator;
		}
		$page    = self::page( $url );
		$value   = trim( (string) $value );
		$key     = self::rule_key( $value );
		$subject = '/' === substr( $value, 0, 1 ) ? $page['path'] : $page['full'];
		switch ( $operator ) {
			case 'is':
				return self::with_slash( $key ) === $subject;
			case 'is_not':
				return self::with_slash( $key ) !== $subject;
			case 'starts_with':
				return 0 === strpos( $subject, $key );
			case 'contains':
				return false !== strpos( $subject, $key );
			case 'not_contains':
				return false === strpos( $subject, $key );
			case 'ends_with':
				$end = self::without_slash( $key );
				return '' === $end || substr( self::without_slash( $subject ), -strlen( $end ) ) === $end;
			case 'matches':
				return self::wildcard_matches( $key, $subject );
		}
		return false;
	}

	/**
	 * A page as rules compare it: its path and `host/path` (ending in `/`) and its query parameters. The last
	 * page is kept, since every rule of every chatflow looks at the same one.
	 *
	 * @param string $url The page's URL.
	 * @return array{path:string,full:string,parameters:array}
	 */
	private static function page( $url ) {
		static $last_url = null, $last = null;
		if ( $url !== $last_url ) {
			$parts    = self::parse_url( $url );
			$path     = self::with_slash( self::comparable( $parts['path'] ) );
			$last     = array(
				'path'       => $path,
				'full'       => $parts['host'] . $path,
				'parameters' => self::query_parameters( $parts['query'] ),
			);
			$last_url = $url;
		}
		return $last;
	}

	/**
	 * A query string's parameters in order, decoded (`+` is a space); repeated names repeat.
	 *
	 * @param string $query Raw query, without `?`.
	 * @return array<int,array{0:string,1:string}>
	 */
	public static function query_parameters( $query ) {
		$parameters = array();
		foreach ( explode( '&', $query ) as $part ) {
			if ( '' === $part ) {
				continue;
			}
			$equals       = strpos( $part, '=' );
			$name         = false === $equals ? $part : substr( $part, 0, $equals );
			$value        = false === $equals ? '' : substr( $part, $equals + 1 );
			$parameters[] = array( self::decode_percent( str_replace( '+', ' ', $name ) ), self::decode_percent( str_replace( '+', ' ', $value ) ) );
		}
		return $parameters;
	}

	/**
	 * Whether a query parameter rule holds: names match exactly, values in any case; any one of repeated
	 * parameters may match.
	 *
	 * @param string $operator `equals`, `contains` or `present`.
	 * @param string $name     Parameter name.
	 * @param string $value    Rule value.
	 * @param string $url      The page's URL.
	 * @return bool
	 */
	public static function query_rule_holds( $operator, $name, $value, $url ) {
		$wanted = trim( (string) $name );
		$text   = mb_strtolower( trim( (string) $value ), 'UTF-8' );
		foreach ( self::page( $url )['parameters'] as $parameter ) {
			if ( $parameter[0] !== $wanted ) {
				continue;
			}
			$given = mb_strtolower( $parameter[1], 'UTF-8' );
			if ( 'present' === $operator || ( 'equals' === $operator && $given === $text ) || ( 'contains' === $operator && false !== strpos( $given, $text ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A language compared: lower case, `_` as `-`.
	 *
	 * @param string $language E.g. `da_DK`.
	 * @return string
	 */
	private static function language_key( $language ) {
		return str_replace( '_', '-', strtolower( trim( (string) $language ) ) );
	}

	/**
	 * Whether a visitor rule holds. Rules on the WordPress user do not hold while the user is unknown.
	 *
	 * @param array $rule   Rule.
	 * @param array $traits `contact`, `device`, `referrer`, `language`, and `user` (`loggedIn`, `roles`) if known.
	 * @return bool
	 */
	public static function visitor_rule_holds( array $rule, array $traits ) {
		$value    = trim( (string) $rule['value'] );
		$operator = $rule['operator'];
		$negate   = 'is_not' === $operator;
		$user     = isset( $traits['user'] ) && is_array( $traits['user'] ) ? $traits['user'] : null;
		switch ( $rule['field'] ) {
			case 'contact':
				return 'is' === $operator && ( $traits['contact'] ?? 'unknown' ) === $value;
			case 'user':
				return 'is' === $operator && null !== $user && ( 'logged_in' === $value ) === (bool) $user['loggedIn'];
			case 'role':
				if ( null === $user || ( ! $negate && 'is' !== $operator ) ) {
					return false;
				}
				return in_array( $value, (array) $user['roles'], true ) !== $negate;
			case 'device':
				if ( ! $negate && 'is' !== $operator ) {
					return false;
				}
				return ( ( $traits['device'] ?? '' ) === $value ) !== $negate;
			case 'referrer':
				return self::url_rule_holds( $operator, $value, (string) ( $traits['referrer'] ?? '' ) );
			case 'language':
				if ( ! $negate && 'is' !== $operator ) {
					return false;
				}
				$page   = self::language_key( $traits['language'] ?? '' );
				$wanted = self::language_key( $value );
				$same   = '' !== $page && ( $page === $wanted || 0 === strpos( $page, $wanted . '-' ) );
				return $same !== $negate;
		}
		return false;
	}

	/**
	 * Whether a rule holds, or null for a visitor rule when the visitor is not known.
	 *
	 * @param array      $rule   Rule.
	 * @param string     $url    The page's URL.
	 * @param array|null $traits The visitor, if known.
	 * @return bool|null
	 */
	public static function rule_holds( array $rule, $url, $traits ) {
		if ( 'url' === $rule['field'] ) {
			return self::url_rule_holds( $rule['operator'], $rule['value'], $url );
		}
		if ( 'query' === $rule['field'] ) {
			return self::query_rule_holds( $rule['operator'], $rule['name'], $rule['value'], $url );
		}
		return is_array( $traits ) ? self::visitor_rule_holds( $rule, $traits ) : null;
	}

	/**
	 * Evaluates a chatflow's target: an exclusion that holds hides the chat; otherwise all pages, or the first
	 * group whose rules all hold, shows it. Visitor rules that cannot be decided are left as conditions.
	 *
	 * @param array      $target `allPages`, `include` (groups of `rules`), `exclude` (rules).
	 * @param string     $url    The page's URL.
	 * @param array|null $traits The visitor, or null when not known (visitor rules stay open).
	 * @return array `result` (`yes`, `no` or `maybe`), `decidedBy` (`kind` and, for `include` and `exclude`,
	 *               `index`), and for `maybe` the `conditions` (`groups` of visitor rules, `exclude`).
	 */
	public static function evaluate( array $target, $url, $traits = null ) {
		$pending = array();
		foreach ( array_values( $target['exclude'] ?? array() ) as $index => $rule ) {
			$holds = self::rule_holds( $rule, $url, $traits );
			if ( true === $holds ) {
				return array(
					'result'    => 'no',
					'decidedBy' => array(
						'kind'  => 'exclude',
						'index' => $index,
					),
				);
			}
			if ( null === $holds ) {
				$pending[] = $rule;
			}
		}

		$groups = array();
		if ( ! empty( $target['allPages'] ) ) {
			$groups[] = array( -1, array() );
		} else {
			foreach ( array_values( $target['include'] ?? array() ) as $index => $group ) {
				$rest = array();
				foreach ( $group['rules'] as $rule ) {
					$holds = self::rule_holds( $rule, $url, $traits );
					if ( false === $holds ) {
						continue 2;
					}
					if ( null === $holds ) {
						$rest[] = $rule;
					}
				}
				$groups[] = array( $index, $rest );
			}
		}
		if ( ! $groups ) {
			return array(
				'result'    => 'no',
				'decidedBy' => array( 'kind' => 'no_match' ),
			);
		}

		$settled = null;
		foreach ( $groups as $group ) {
			if ( ! $group[1] ) {
				$settled = $group;
				break;
			}
		}
		if ( $settled && ! $pending ) {
			return array(
				'result'    => 'yes',
				'decidedBy' => $settled[0] < 0
					? array( 'kind' => 'all_pages' )
					: array(
						'kind'  => 'include',
						'index' => $settled[0],
					),
			);
		}
		return array(
			'result'     => 'maybe',
			'decidedBy'  => array( 'kind' => 'visitor_rules' ),
			'conditions' => array(
				'groups'  => $settled ? array( array() ) : array_map(
					static function ( $group ) {
						return $group[1];
					},
					$groups
				),
				'exclude' => $pending,
			),
		);
	}

	/**
	 * Whether visitor conditions hold for a visitor.
	 *
	 * @param array $conditions `groups` and `exclude`, as evaluate() leaves them.
	 * @param array $traits     The visitor.
	 * @return bool
	 */
	public static function conditions_hold( array $conditions, array $traits ) {
		foreach ( $conditions['exclude'] as $rule ) {
			if ( self::visitor_rule_holds( $rule, $traits ) ) {
				return false;
			}
		}
		foreach ( $conditions['groups'] as $group ) {
			$all = true;
			foreach ( $group as $rule ) {
				if ( ! self::visitor_rule_holds( $rule, $traits ) ) {
					$all = false;
					break;
				}
			}
			if ( $all ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether any condition is about the WordPress user.
	 *
	 * @param array $conditions `groups` and `exclude`.
	 * @return bool
	 */
	public static function needs_user( array $conditions ) {
		$rules = $conditions['exclude'];
		foreach ( $conditions['groups'] as $group ) {
			$rules = array_merge( $rules, $group );
		}
		foreach ( $rules as $rule ) {
			if ( 'user' === $rule['field'] || 'role' === $rule['field'] ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Save-time checks of a target the schema accepted, naming each field by its path.
	 *
	 * @param array  $target Target settings.
	 * @param string $path   Path of the target, e.g. `settings.target`.
	 * @return array<string,string> Messages by path.
	 */
	public static function validate( array $target, $path ) {
		$errors = array();
		foreach ( array_values( $target['include'] ) as $index => $group ) {
			$group_path = "{$path}.include[{$index}]";
			if ( ! $group['rules'] ) {
				$errors[ "{$group_path}.rules" ] = __( 'Add a rule to this group, or remove the group.', 'chatflows' );
			}
			foreach ( array_values( $group['rules'] ) as $rule_index => $rule ) {
				$errors += self::rule_errors( $rule, "{$group_path}.rules[{$rule_index}]" );
			}
		}
		foreach ( array_values( $target['exclude'] ) as $index => $rule ) {
			$errors += self::rule_errors( $rule, "{$path}.exclude[{$index}]" );
		}
		return $errors;
	}

	/**
	 * Errors of one rule.
	 *
	 * @param array  $rule Rule.
	 * @param string $path Path of the rule.
	 * @return array<string,string>
	 */
	private static function rule_errors( array $rule, $path ) {
		$field    = $rule['field'];
		$operator = $rule['operator'];
		if ( ! in_array( $operator, self::OPERATORS[ $field ], true ) ) {
			return array( "$path.operator" => __( 'Choose a comparison this kind of rule offers.', 'chatflows' ) );
		}
		$value = trim( $rule['value'] );
		$name  = trim( $rule['name'] );
		$error = null;
		switch ( $field ) {
			case 'url':
			case 'referrer':
				$error = self::url_value_error( $operator, $value );
				break;
			case 'query':
				if ( '' === $name ) {
					return array( "$path.name" => __( 'Enter the name of the query parameter, e.g. utm_source.', 'chatflows' ) );
				}
				if ( preg_match( '/[=&#]/', $name ) ) {
					return array( "$path.name" => __( 'Enter only the parameter\'s name, without =, & or #.', 'chatflows' ) );
				}
				if ( 'contains' === $operator && '' === $value ) {
					$error = __( 'Enter the text the value contains.', 'chatflows' );
				}
				break;
			case 'role':
				if ( ! preg_match( '/^[A-Za-z0-9_-]{1,60}$/', $value ) ) {
					$error = __( 'Choose a role.', 'chatflows' );
				} elseif ( ! wp_roles()->is_role( $value ) ) {
					$error = __( 'This role does not exist on this site.', 'chatflows' );
				}
				break;
			case 'language':
				if ( ! preg_match( '/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/', $value ) ) {
					$error = __( 'Enter a language code such as da or da-DK.', 'chatflows' );
				}
				break;
			default:
				if ( ! in_array( $value, self::CHOICES[ $field ], true ) ) {
					$error = __( 'Choose one of the offered values.', 'chatflows' );
				}
		}
		return null === $error ? array() : array( "$path.value" => $error );
	}

	/**
	 * The error of a URL or referrer value, if any.
	 *
	 * @param string $operator Operator.
	 * @param string $value    Trimmed value.
	 * @return string|null
	 */
	private static function url_value_error( $operator, $value ) {
		if ( '' === $value ) {
			return __( 'Enter a URL or a part of one.', 'chatflows' );
		}
		if ( preg_match( '/\s/u', $value ) ) {
			return __( 'A URL has no spaces: write a space as %20.', 'chatflows' );
		}
		if ( preg_match( '/[?#]/', $value ) ) {
			return __( 'Leave out the part from ? or #: use a query parameter rule for parameters.', 'chatflows' );
		}
		if ( 'matches' === $operator ) {
			if ( ! preg_match( '#^(?:/|\*|https?://)#i', $value ) ) {
				return __( 'Start the pattern with /, with * or with http:// or https://, e.g. /blog/*.', 'chatflows' );
			}
			if ( false !== strpos( $value, '**' ) ) {
				return __( 'Use a single * for any characters: ** is not a pattern.', 'chatflows' );
			}
			if ( substr_count( $value, '*' ) > self::MAX_WILDCARDS ) {
				/* translators: %d: most wildcards in a pattern. */
				return sprintf( __( 'Use at most %d wildcards (*) in a pattern.', 'chatflows' ), self::MAX_WILDCARDS );
			}
			return null;
		}
		if ( in_array( $operator, array( 'is', 'is_not', 'starts_with' ), true ) && ! preg_match( '#^(?:/|https?://[^/\s*]+)#i', $value ) ) {
			return __( 'Start with / for a path on any of your sites, or with http:// or https:// for a full address.', 'chatflows' );
		}
		return null;
	}
}
