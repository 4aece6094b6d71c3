/**
 * Fixtures: the running stack (one per worker), logged-in pages, and a guard
 * that fails a test when a page logs a console error.
 */
import {
	test as base,
	expect,
	type Browser,
	type Page,
} from '@playwright/test';

type StackModule = typeof import( '../../scripts/lib/stack.mjs' );
export type Stack = Awaited< ReturnType< StackModule[ 'startStack' ] > >;

/** Ports and data of the end-to-end stack, apart from the demo's. */
const wpPort = Number( process.env.CHATFLOWS_E2E_WP_PORT ?? 8898 );
const E2E = {
	// One data folder per port, so runs on other ports never share a site.
	dataDir: `.data/e2e-${ wpPort }`,
	wpPort,
	servicePort: Number( process.env.CHATFLOWS_E2E_SERVICE_PORT ?? wpPort + 1 ),
};

/** The WordPress releases the stack runs on (see scripts/lib/wordpress.mjs). */
export type WordPressRelease = '6.1' | 'newest';

/**
 * WordPress's own console noise, none of it the plugin's: each pattern names the page and the message.
 */
const CORE_NOISE = [
	// WordPress 6.8's user-profile.js, on leaving profile.php (where an agent lands after logging in).
	/\/wp-admin\/profile\.php: .*reading 'serialize'/,
];

/**
 * Console errors, collected per page; some are expected while the service is down. On the newest
 * WordPress (with SCRIPT_DEBUG) warnings count too: deprecations, React's warnings.
 */
export class ConsoleErrors {
	readonly errors: string[] = [];

	/**
	 * @param withWarnings Also collect console warnings.
	 */
	constructor( readonly withWarnings = false ) {}

	watch( page: Page ): Page {
		page.on( 'console', ( message ) => {
			if (
				message.type() === 'error' ||
				( this.withWarnings && message.type() === 'warning' )
			) {
				this.errors.push(
					`${ page.url() }: ${ message.type() }: ${ message.text() }`
				);
			}
		} );
		page.on( 'pageerror', ( error ) =>
			this.errors.push( `${ page.url() }: ${ error.message }` )
		);
		return page;
	}

	/** Forgets errors logged so far, e.g. the refused connections while the service restarted. */
	clear(): void {
		this.errors.length = 0;
	}

	/**
	 * Forgets the errors matching a pattern, e.g. the browser's note of a 400
	 * or 409 answer a test provoked on purpose; others stay.
	 *
	 * @param pattern What to forget.
	 */
	forget( pattern: RegExp ): void {
		const kept = this.errors.filter( ( error ) => ! pattern.test( error ) );
		this.errors.splice( 0, this.errors.length, ...kept );
	}
}

/**
 * Logs a user in through wp-login.php in a new browser context.
 *
 * @param browser  Browser.
 * @param stack    Running stack.
 * @param username User.
 * @param password Password.
 */
export async function loggedInPage(
	browser: Browser,
	stack: Pick< Stack, 'wpUrl' >,
	username: string,
	password = 'password'
) {
	const context = await browser.newContext( { baseURL: stack.wpUrl } );
	const page = await context.newPage();
	await page.goto( '/wp-login.php' );
	// By id: the form's labels are in the site's language.
	await page.locator( '#user_login' ).fill( username );
	await page.locator( '#user_pass' ).fill( password );
	await page.locator( '#wp-submit' ).click();
	await expect( page ).toHaveURL( /wp-admin/ );
	return page;
}

export const test = base.extend<
	{ consoleErrors: ConsoleErrors },
	{
		stack: Stack;
		siteName: string;
		siteLocale: string;
		wordpressRelease: WordPressRelease;
	}
>( {
	// Which WordPress the stack runs, set by the Playwright project (playwright.config.ts).
	wordpressRelease: [ '6.1', { scope: 'worker', option: true } ],
	// A spec that changes the demo site for good (e.g. deletes its chatflow)
	// names a site of its own: it runs in its own worker, on fresh data.
	siteName: [ 'demo', { scope: 'worker', option: true } ],
	// The site's language, e.g. da_DK (with a siteName of its own).
	siteLocale: [ 'en_US', { scope: 'worker', option: true } ],
	stack: [
		async ( { siteName, siteLocale, wordpressRelease }, provide ) => {
			// A dynamic import keeps the ES module as it is (the test runner compiles this file to CommonJS).
			const { startStack }: StackModule =
				await import( '../../scripts/lib/stack.mjs' );
			const release = wordpressRelease === '6.1' ? '' : '-newest';
			const stack = await startStack( {
				...E2E,
				dataDir:
					siteName === 'demo'
						? `${ E2E.dataDir }${ release }`
						: `${ E2E.dataDir }${ release }-${ siteName }`,
				fresh: true,
				demo: true,
				locale: siteLocale,
				logLevel: 'warn',
				// Every test's browser is a fresh visitor from 127.0.0.1: one
				// address's budgets would run out over a worker's tests.
				serviceEnv: {
					CHATFLOWS_NEW_SESSIONS_PER_IP_PER_HOUR: '100000',
					CHATFLOWS_NEW_SESSIONS_PER_NETWORK_PER_HOUR: '100000',
					CHATFLOWS_CONVERSATIONS_PER_IP_PER_HOUR: '100000',
					CHATFLOWS_CONVERSATIONS_PER_NETWORK_PER_HOUR: '100000',
					CHATFLOWS_TEAM_EMAILS_PER_WINDOW: '100000',
				},
				wordpressRelease,
				// Unminified scripts and React's development build: its warnings reach the console.
				scriptDebug: wordpressRelease === 'newest',
			} );
			await provide( stack );
			await stack.stop();
		},
		{ scope: 'worker', timeout: 180_000 },
	],
	consoleErrors: async ( { wordpressRelease }, provide ) => {
		const collector = new ConsoleErrors( wordpressRelease === 'newest' );
		await provide( collector );
		for ( const pattern of CORE_NOISE ) {
			collector.forget( pattern );
		}
		expect( collector.errors, 'console errors and warnings' ).toEqual( [] );
	},
} );

export { expect };
