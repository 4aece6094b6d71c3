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

/** Console errors, collected per page; some are expected while the service is down. */
export class ConsoleErrors {
	readonly errors: string[] = [];

	watch( page: Page ): Page {
		page.on( 'console', ( message ) => {
			if ( message.type() === 'error' ) {
				this.errors.push( `${ page.url() }: ${ message.text() }` );
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
	{ stack: Stack; siteName: string; siteLocale: string }
>( {
	// A spec that changes the demo site for good (e.g. deletes its chatflow)
	// names a site of its own: it runs in its own worker, on fresh data.
	siteName: [ 'demo', { scope: 'worker', option: true } ],
	// The site's language, e.g. da_DK (with a siteName of its own).
	siteLocale: [ 'en_US', { scope: 'worker', option: true } ],
	stack: [
		async ( { siteName, siteLocale }, provide ) => {
			// A dynamic import keeps the ES module as it is (the test runner compiles this file to CommonJS).
			const { startStack }: StackModule =
				await import( '../../scripts/lib/stack.mjs' );
			const stack = await startStack( {
				...E2E,
				dataDir:
					siteName === 'demo'
						? E2E.dataDir
						: `${ E2E.dataDir }-${ siteName }`,
				fresh: true,
				demo: true,
				locale: siteLocale,
				logLevel: 'warn',
			} );
			await provide( stack );
			await stack.stop();
		},
		{ scope: 'worker', timeout: 180_000 },
	],
	consoleErrors: async ( {}, provide ) => {
		const collector = new ConsoleErrors();
		await provide( collector );
		expect( collector.errors, 'console errors' ).toEqual( [] );
	},
} );

export { expect };
