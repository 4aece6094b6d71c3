<?php
/**
 * The confirmation link of an address a visitor typed, through WordPress and the real chat service: the
 * service asks for the e-mail, WordPress sends it, the visitor opens the link and presses the button, and
 * only then does the service link the visitor (and their conversation) to the contact of that address.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Email_Confirmation;
use Chatflows\Privacy;
use Chatflows\Service_Sync;

/**
 * Confirmation pages are thrown, not printed, by this wp_die handler.
 */
class Died_Page extends \Exception {

	/**
	 * HTTP status of the page.
	 *
	 * @var int
	 */
	public $status;

	/**
	 * Its HTML.
	 *
	 * @var string
	 */
	public $html;

	/**
	 * Keeps what wp_die() was given.
	 *
	 * @param string $html   Message.
	 * @param int    $status Status.
	 */
	public function __construct( $html, $status ) {
		parent::__construct( 'wp_die' );
		$this->html   = $html;
		$this->status = $status;
	}
}

/**
 * Typed address → e-mail → page → button → linked; and nothing before the button, nor twice.
 */
class EmailConfirmationTest extends TestCase {

	use Runs_Chat_Service;

	/**
	 * Mails sent through wp_mail().
	 *
	 * @var array[]
	 */
	private $mails = array();

	protected function setUp(): void {
		parent::setUp();
		$this->set_up_service();
		add_filter(
			'pre_wp_mail',
			function ( $preempt, $atts ) {
				$this->mails[] = $atts;
				return true;
			},
			10,
			2
		);
		add_filter(
			'wp_die_handler',
			static function () {
				return static function ( $message, $title, $args ) {
					throw new Died_Page( (string) $message, (int) ( $args['response'] ?? 500 ) );
				};
			}
		);
	}

	protected function tearDown(): void {
		$_GET  = array();
		$_POST = array();
		unset( $_SERVER['REQUEST_METHOD'] );
		$this->tear_down_service();
		parent::tearDown();
	}

	public function test_only_the_button_on_the_page_the_e_mailed_link_opens_links_the_visitor_once() {
		$settings                                 = Chatflow_Settings::defaults();
		$settings['options']['marketingContacts'] = true;
		$chatflow                                 = Chatflows::create( 'Website chat', $settings, 'publish' );
		$this->assertTrue( Service_Sync::push()['synced'] );
		$this->seed(
			(string) $chatflow,
			array(
				array(
					'email'    => 'Nora@Example.com',
					'name'     => 'Nora',
					'pageUrl'  => home_url( '/pricing/' ),
					'language' => 'en-US',
					'messages' => array( 'Please send me the price list' ),
				),
			)
		);
		$this->assertNull( $this->contact_of( 'nora@example.com' ), 'typed: linked to nobody yet' );

		// The service asked for the e-mail; WordPress gets it as the service delivers it, signed.
		$notification = $this->pending_confirmation();
		$this->assertSame( 'Nora@Example.com', $notification['visitor']['email'] );
		$response = $this->signed_rest( 'POST', '/chatflows/v1/service/notify', $notification );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertCount( 1, $this->mails );
		$this->assertSame( array( 'Nora@Example.com' ), (array) $this->mails[0]['to'] );
		$this->assertStringNotContainsString( 'price list', $this->mails[0]['message'], 'nothing the visitor wrote goes to the address' );
		$this->assertSame( 1, preg_match( '#\Q' . home_url( '/' ) . '\E\?chatflows_confirm_email=\S+#', $this->mails[0]['message'], $found ) );
		$link = $found[0];

		// Opening the link (a mail scanner does that too) shows the button and confirms nothing.
		$page = $this->open( $link );
		$this->assertSame( 200, $page->status );
		$this->assertStringContainsString( 'Confirm my e-mail address', $page->html );
		$this->assertStringContainsString( 'method="post"', $page->html );
		$this->assertNull( $this->contact_of( 'nora@example.com' ) );

		// A form posted without the page's nonce: refused, nothing sent.
		$this->assertSame( 403, $this->press( $link, 'not-the-nonce' )->status );
		$this->assertNull( $this->contact_of( 'nora@example.com' ) );

		$this->assertSame( 1, preg_match( '/name="_wpnonce" value="([^"]+)"/', $page->html, $nonce ) );
		$done = $this->press( $link, $nonce[1] );
		$this->assertSame( 200, $done->status, $done->html );
		$this->assertStringContainsString( 'your e-mail address is confirmed', $done->html );
		$contact = $this->contact_of( 'nora@example.com' );
		$this->assertSame( 'Nora', $contact['Name'] );
		$this->assertSame( 'Yes', $contact['Marketing contact'] );
		$this->assertStringContainsString( 'Please send me the price list', wp_json_encode( Privacy::export( 'nora@example.com', 1 ) ), 'the visitor’s conversation is the contact’s now' );

		// Once only.
		$again = $this->press( $link, $nonce[1] );
		$this->assertSame( 410, $again->status );
		$this->assertStringContainsString( 'expired or was already used', $again->html );
	}

	public function test_a_link_without_a_token_the_service_could_have_made_is_refused_without_asking_it() {
		$page = $this->open( add_query_arg( Email_Confirmation::TOKEN_FIELD, 'short', home_url( '/' ) ) );
		$this->assertSame( 400, $page->status );
	}

	/**
	 * The Chat contact item of an export, or null.
	 *
	 * @param string $email Address.
	 * @return array|null Values by label.
	 */
	private function contact_of( $email ) {
		$export = Privacy::export( $email, 1 );
		$this->assertNotWPError( $export );
		foreach ( $export['data'] as $item ) {
			if ( 'chatflows-contact' === $item['group_id'] ) {
				return wp_list_pluck( $item['data'], 'value', 'name' );
			}
		}
		return null;
	}

	/**
	 * The confirmation e-mail the service has queued for WordPress, read from its database.
	 *
	 * @return array The notification.
	 */
	private function pending_confirmation() {
		$database = new \PDO( 'sqlite:' . $this->folder . '/chatflows.sqlite' );
		$payloads = $database->query( "SELECT payload FROM notifications WHERE id LIKE 'email_confirmation:%'" )->fetchAll( \PDO::FETCH_COLUMN );
		$this->assertCount( 1, $payloads );
		return json_decode( $payloads[0], true );
	}

	/**
	 * Opens a link of this site as a GET; the page it dies with.
	 *
	 * @param string $link Link.
	 * @return Died_Page
	 */
	private function open( $link ) {
		$this->load_query( $link );
		$_SERVER['REQUEST_METHOD'] = 'GET';
		$_POST                     = array();
		return $this->died();
	}

	/**
	 * Puts a link's query in $_GET, as PHP does for a request to it.
	 *
	 * @param string $link Link.
	 */
	private function load_query( $link ) {
		$_GET = array();
		wp_parse_str( (string) wp_parse_url( $link, PHP_URL_QUERY ), $_GET );
	}

	/**
	 * Presses the page's button: a POST to the link with the token and a nonce.
	 *
	 * @param string $link  Link.
	 * @param string $nonce The form's nonce.
	 * @return Died_Page
	 */
	private function press( $link, $nonce ) {
		$this->load_query( $link );
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$_POST                     = array(
			Email_Confirmation::TOKEN_FIELD => $_GET[ Email_Confirmation::TOKEN_FIELD ],
			'_wpnonce'                      => $nonce,
		);
		return $this->died();
	}

	/**
	 * Runs the page and returns what it died with.
	 *
	 * @return Died_Page
	 */
	private function died() {
		try {
			Email_Confirmation::handle();
		} catch ( Died_Page $page ) {
			return $page;
		}
		$this->fail( 'The confirmation page did not answer: ' . wp_json_encode( $_GET ) );
	}
}
