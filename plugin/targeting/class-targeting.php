<?php
/**
 * Which chatflow serves a request, a URL outside WordPress, or the admin's tester.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Decides, in this order: the page's own choice (no chat at all; the Live chat block's chatflow; the chatflow
 * chosen in the "Chat on this page" panel), then the published chatflows in priority order whose page-level
 * rules hold. Chatflows whose visitor rules decide become candidates the loader chooses from in the browser.
 *
 * The published chatflows' rules are kept in an autoloaded option, so that a page no chatflow serves costs no
 * database query.
 */
final class Targeting {

	/** Autoloaded option: `[ { id, target } ]` of the published chatflows with rules, by priority. */
	const INDEX_OPTION = 'chatflows_targeting';

	/** Page meta: 1 when the page shows no chat at all (beats everything else). */
	const NO_CHAT_META = '_chatflows_no_chat';

	/** The block that embeds the chat or chooses the page's chatflow. */
	const BLOCK = 'chatflows/live-chat';

	/** The admin-ajax action that tells the loader whether the visitor is logged in, and with which roles. */
	const VISITOR_ACTION = 'chatflows_visitor';

	/**
	 * Hooks.
	 */
	public static function boot() {
		add_action( 'wp_ajax_' . self::VISITOR_ACTION, array( self::class, 'answer_visitor' ) );
		add_action( 'wp_ajax_nopriv_' . self::VISITOR_ACTION, array( self::class, 'answer_visitor' ) );
		add_filter( 'rest_pre_serve_request', array( Targeting_Outside_Pages::class, 'serve_module' ), 10, 3 );
	}

	/**
	 * Recomputes the index of published chatflows' rules (after every change of a chatflow).
	 */
	public static function refresh_index() {
		$index = array();
		foreach ( Chatflows::all( true ) as $post ) {
			$target = Chatflows::settings( $post->ID )['target'];
			if ( ! empty( $target['allPages'] ) || ! empty( $target['include'] ) ) {
				$index[] = array(
					'id'     => $post->ID,
					'target' => $target,
				);
			}
		}
		if ( get_option( self::INDEX_OPTION, null ) !== $index ) {
			update_option( self::INDEX_OPTION, $index, true );
		}
	}

	/**
	 * The published chatflows' rules, by priority (from the autoloaded option: no query).
	 *
	 * @return array<int,array{id:int,target:array}>
	 */
	public static function index() {
		$index = get_option( self::INDEX_OPTION, array() );
		return is_array( $index ) ? $index : array();
	}

	/**
	 * The URL of the current request, on the site's own origin.
	 *
	 * @return string
	 */
	public static function current_url() {
		$home   = wp_parse_url( home_url() );
		$origin = ( $home['scheme'] ?? 'http' ) . '://' . ( $home['host'] ?? 'localhost' ) . ( isset( $home['port'] ) ? ':' . $home['port'] : '' );
		$uri    = isset( $_SERVER['REQUEST_URI'] ) ? wp_unslash( $_SERVER['REQUEST_URI'] ) : '/'; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only compared with rules, never printed.
		return $origin . ( '' !== $uri && '/' === $uri[0] ? $uri : '/' . $uri );
	}

	/**
	 * What the current request shows.
	 *
	 * @return array|null Null for no chat; else `candidates` (each `post`, and `conditions` when visitor rules
	 *                    decide, else null) and `inline` (the block's element selector, or null).
	 */
	public static function for_request() {
		if ( is_admin() ) {
			return null;
		}
		if ( is_singular() ) {
			$page = self::page_choice( get_queried_object() );
			if ( null !== $page ) {
				return $page['chatflow'] ? self::single( $page['chatflow'], $page['inline'] ) : null;
			}
		}
		return self::by_rules( self::current_url() );
	}

	/**
	 * A page's own choice: null to follow the site's rules; else `chatflow` (a published chatflow, or null for
	 * no chat), `inline` (selector of the block's element, or null) and `kind` (what chose: `page_no_chat`,
	 * `page_block` or `page_chatflow`).
	 *
	 * @param mixed $post The page.
	 * @return array|null
	 */
	public static function page_choice( $post ) {
		if ( ! $post instanceof \WP_Post ) {
			return null;
		}
		// Post meta is already cached by the main query: no extra query on pages without chat.
		if ( get_post_meta( $post->ID, self::NO_CHAT_META, true ) ) {
			return array(
				'chatflow' => null,
				'inline'   => null,
				'kind'     => 'page_no_chat',
			);
		}
		$block = self::block_choice( $post );
		if ( $block ) {
			$chatflow = self::published( $block['chatflowId'] );
			if ( $chatflow ) {
				return array(
					'chatflow' => $chatflow,
					'inline'   => $block['inline'] ? '#' . self::inline_element_id( $chatflow->ID ) : null,
					'kind'     => 'page_block',
				);
			}
		}
		$chosen = Chatflow_Post_Type::chosen_by( $post->ID );
		if ( $chosen ) {
			return array(
				'chatflow' => $chosen,
				'inline'   => null,
				'kind'     => 'page_chatflow',
			);
		}
		return null;
	}

	/**
	 * The first Live chat block of a post that names a chatflow.
	 *
	 * @param \WP_Post $post Post.
	 * @return array{chatflowId:int,inline:bool}|null
	 */
	public static function block_choice( \WP_Post $post ) {
		if ( ! has_block( self::BLOCK, $post ) ) {
			return null;
		}
		$find = static function ( array $blocks ) use ( &$find ) {
			foreach ( $blocks as $block ) {
				if ( self::BLOCK === $block['blockName'] && ! empty( $block['attrs']['chatflowId'] ) ) {
					return array(
						'chatflowId' => (int) $block['attrs']['chatflowId'],
						'inline'     => 'select' !== ( $block['attrs']['mode'] ?? 'inline' ),
					);
				}
				$inner = $find( $block['innerBlocks'] );
				if ( $inner ) {
					return $inner;
				}
			}
			return null;
		};
		return $find( parse_blocks( $post->post_content ) );
	}

	/**
	 * The id of the element the block prints for the inline chat.
	 *
	 * @param int $chatflow_id Chatflow ID.
	 * @return string
	 */
	public static function inline_element_id( $chatflow_id ) {
		return 'chatflows-inline-' . (int) $chatflow_id;
	}

	/**
	 * The published chatflow with an ID, if any.
	 *
	 * @param int $id Chatflow ID.
	 * @return \WP_Post|null
	 */
	public static function published( $id ) {
		$post = Chatflows::post( (int) $id );
		return $post && 'publish' === $post->post_status ? $post : null;
	}

	/**
	 * One chatflow for everyone.
	 *
	 * @param \WP_Post    $chatflow Chatflow.
	 * @param string|null $inline   Selector of the inline element.
	 * @return array
	 */
	private static function single( \WP_Post $chatflow, $inline = null ) {
		return array(
			'candidates' => array(
				array(
					'post'       => $chatflow,
					'conditions' => null,
				),
			),
			'inline'     => $inline,
		);
	}

	/**
	 * The published chatflows whose page-level rules hold for a URL, by priority, up to the first one that
	 * holds for every visitor.
	 *
	 * @param string $url URL.
	 * @return array|null Null when none; else as for_request().
	 */
	public static function by_rules( $url ) {
		$matches = array();
		foreach ( self::index() as $entry ) {
			$result = Targeting_Rules::evaluate( $entry['target'], $url );
			if ( 'no' === $result['result'] ) {
				continue;
			}
			$matches[] = array( (int) $entry['id'], 'maybe' === $result['result'] ? $result['conditions'] : null );
			if ( 'yes' === $result['result'] ) {
				break;
			}
		}
		$candidates = array();
		foreach ( $matches as $match ) {
			$post = self::published( $match[0] );
			if ( $post ) {
				$candidates[] = array(
					'post'       => $post,
					'conditions' => $match[1],
				);
			}
		}
		return $candidates ? array(
			'candidates' => $candidates,
			'inline'     => null,
		) : null;
	}

	/**
	 * What the loader gets: one chatflow's configuration when it serves everyone, else the candidates with
	 * their visitor rules (see widget/src/targeting/resolve.ts).
	 *
	 * @param array $choice As for_request() answers.
	 * @param bool  $on_site Whether the page is on this site (then rules on the WordPress user can be asked).
	 * @return array
	 */
	public static function loader_config( array $choice, $on_site = true ) {
		$first = $choice['candidates'][0];
		if ( null === $first['conditions'] ) {
			$config = Frontend::public_config( $first['post'] );
			if ( $choice['inline'] ) {
				$config['inlineEmbedSelector'] = $choice['inline'];
			}
			return $config;
		}
		$candidates = array();
		$needs_user = false;
		foreach ( $choice['candidates'] as $candidate ) {
			$rules        = $candidate['conditions'] ?? array(
				'groups'  => array( array() ),
				'exclude' => array(),
			);
			$needs_user   = $needs_user || Targeting_Rules::needs_user( $rules );
			$candidates[] = array(
				'config'       => Frontend::public_config( $candidate['post'] ),
				'visitorRules' => $rules,
			);
		}
		$config = array( 'candidates' => $candidates );
		if ( $needs_user && $on_site ) {
			$config['visitorUrl'] = add_query_arg( 'action', self::VISITOR_ACTION, admin_url( 'admin-ajax.php' ) );
		}
		return $config;
	}

	/**
	 * The admin-ajax answer: whether the visitor is logged in, and their roles, for the loader's user and role rules.
	 * Read-only and about the requester only; never cached (admin-ajax sends no-cache headers).
	 */
	public static function answer_visitor() {
		$user = wp_get_current_user();
		wp_send_json(
			array(
				'loggedIn' => $user->exists(),
				'roles'    => $user->exists() ? array_values( (array) $user->roles ) : array(),
			)
		);
	}

	/**
	 * The admin's "Where does chat show?": which chatflow serves a URL for a visitor, and what decided.
	 *
	 * @param string $url    URL.
	 * @param array  $traits The visitor (see Targeting_Rules::visitor_rule_holds()).
	 * @return array `chatflow` (`id`, `title`) or null, `decidedBy` (`kind`, `path`), `message`, and `steps`:
	 *               each chatflow looked at, in order, with its `result` and `message`.
	 */
	public static function explain( $url, array $traits ) {
		$steps = array();
		$post  = self::post_at( $url );
		if ( $post ) {
			$page = self::page_choice( $post );
			if ( null !== $page ) {
				if ( ! $page['chatflow'] ) {
					return self::answer( null, array( 'kind' => $page['kind'] ), __( 'This page is set to show no chat.', 'chatflows' ), $steps );
				}
				return self::answer(
					$page['chatflow'],
					array( 'kind' => $page['kind'] ),
					'page_block' === $page['kind']
						? __( 'The Live chat block on this page chooses this chatflow.', 'chatflows' )
						: __( 'This page chooses this chatflow in its "Chat on this page" settings.', 'chatflows' ),
					$steps
				);
			}
		}

		foreach ( Chatflows::all() as $chatflow ) {
			if ( 'publish' !== $chatflow->post_status ) {
				$steps[] = self::step( $chatflow, 'off', null, __( 'Off: skipped.', 'chatflows' ) );
				continue;
			}
			$result = Targeting_Rules::evaluate( Chatflows::settings( $chatflow->ID )['target'], $url, $traits );
			$by     = $result['decidedBy'];
			$path   = isset( $by['index'] ) ? sprintf( 'settings.target.%s[%d]', $by['kind'], $by['index'] ) : null;
			if ( 'yes' === $result['result'] ) {
				$message = 'all_pages' === $by['kind']
					? __( 'Shows on all pages, and no exclusion holds.', 'chatflows' )
					/* translators: %d: number of the rule group, counting from 1. */
					: sprintf( __( 'Every rule of group %d holds.', 'chatflows' ), $by['index'] + 1 );
				$steps[] = self::step( $chatflow, 'yes', $path, $message );
				return self::answer( $chatflow, $by + array( 'path' => $path ), $message, $steps );
			}
			$message = 'exclude' === $by['kind']
				/* translators: %d: number of the exclusion rule, counting from 1. */
				? sprintf( __( 'Exclusion %d holds: the chat is hidden.', 'chatflows' ), $by['index'] + 1 )
				: __( 'No group of rules holds.', 'chatflows' );
			$steps[] = self::step( $chatflow, 'no', $path, $message );
		}
		return self::answer( null, array( 'kind' => 'none' ), __( 'No chatflow shows on this page for this visitor.', 'chatflows' ), $steps );
	}

	/**
	 * One chatflow looked at by the tester.
	 *
	 * @param \WP_Post    $chatflow Chatflow.
	 * @param string      $result   `yes`, `no` or `off`.
	 * @param string|null $path     Path of the deciding rule or group.
	 * @param string      $message  What decided, in words.
	 * @return array
	 */
	private static function step( \WP_Post $chatflow, $result, $path, $message ) {
		return array(
			'id'      => $chatflow->ID,
			'title'   => $chatflow->post_title,
			'result'  => $result,
			'path'    => $path,
			'message' => $message,
		);
	}

	/**
	 * The tester's answer.
	 *
	 * @param \WP_Post|null $chatflow   The serving chatflow.
	 * @param array         $decided_by What decided.
	 * @param string        $message    In words.
	 * @param array         $steps      Chatflows looked at.
	 * @return array
	 */
	private static function answer( $chatflow, array $decided_by, $message, array $steps ) {
		return array(
			'chatflow'  => $chatflow ? array(
				'id'    => $chatflow->ID,
				'title' => $chatflow->post_title,
			) : null,
			'decidedBy' => $decided_by + array( 'path' => null ),
			'message'   => $message,
			'steps'     => $steps,
		);
	}

	/**
	 * The post or page of this site at a URL, if any.
	 *
	 * @param string $url URL.
	 * @return \WP_Post|null
	 */
	private static function post_at( $url ) {
		$host = wp_parse_url( home_url(), PHP_URL_HOST );
		if ( '' !== Targeting_Rules::parse_url( $url )['host'] && strtolower( (string) wp_parse_url( $url, PHP_URL_HOST ) ) !== strtolower( (string) $host ) ) {
			return null;
		}
		$id = url_to_postid( $url );
		return $id ? get_post( $id ) : null;
	}
}
