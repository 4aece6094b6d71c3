/**
 * Danish and Dutch end to end: on a da_DK site and on an nl_NL site, the
 * visitor's chat, the inbox and the chatflow editor speak the site's language
 * (no English source string left in what the visitor sees), and on a
 * multilingual site one chatflow set to "the page's language" speaks Danish on
 * a Danish page and Dutch on a Dutch page, with the return time written for
 * that language in the visitor's time zone.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from '@playwright/test';

import {
	expect,
	loggedInPage,
	test,
	type ConsoleErrors,
	type Stack,
} from './fixtures';
import {
	adminPage,
	publishChatflow,
	rest,
	switchLocaleByPath,
	visitorPage,
} from './helpers';

type CatalogModule = typeof import( '../../scripts/lib/i18n/catalog.mjs' );
type StackModule = typeof import( '../../scripts/lib/stack.mjs' );

test.describe.configure( { mode: 'serial' } );

const LANGUAGES_DIR = path.join( __dirname, '..', '..', 'languages' );

/** What each language says where the tests look. */
const LANGUAGES = {
	da_DK: {
		tag: 'da-DK',
		openChat: 'Åbn chat',
		message: 'Besked',
		send: 'Send',
		welcome: 'Hej! Hvordan kan vi hjælpe dig i dag?',
		inbox: 'Indbakke',
		reply: 'Svar',
		conversations: 'Samtaler',
		editChatflow: 'Rediger Website chat',
		editorHeading: 'Rediger chatflow: Website chat',
		tabs: [ 'Chat', 'Mål', 'Display', 'Vidensbase', 'Indstillinger' ],
		textsIn: 'Tekster på',
		languageNames: [ 'Engelsk', 'Dansk', 'Nederlandsk' ],
		visitorSays: 'Hej! Har I en studierabat?',
		agentSays: 'Ja, 20 % på alle planer.',
		awayWithReturn: ( when: string ) =>
			`Vi er ikke til stede lige nu. Vi er tilbage ${ when }.`,
		leaveMessage: 'Skriv en besked til os',
	},
	nl_NL: {
		tag: 'nl-NL',
		openChat: 'Chat openen',
		message: 'Bericht',
		send: 'Versturen',
		welcome: 'Hoi! Hoe kunnen we je vandaag helpen?',
		inbox: 'Inbox',
		reply: 'Antwoorden',
		conversations: 'Gesprekken',
		editChatflow: 'Website chat bewerken',
		editorHeading: 'Chatflow bewerken: Website chat',
		tabs: [ 'Chat', 'Doel', 'Weergave', 'Kennisbank', 'Opties' ],
		textsIn: 'Teksten in',
		languageNames: [ 'Engels', 'Deens', 'Nederlands' ],
		visitorSays: 'Hallo! Hebben jullie studentenkorting?',
		agentSays: 'Ja, 20 % op alle abonnementen.',
		awayWithReturn: ( when: string ) =>
			`We zijn er nu even niet. We zijn terug op ${ when }.`,
		leaveMessage: 'Laat een bericht achter',
	},
} as const;

type Locale = keyof typeof LANGUAGES;

/** Names people gave things (not the plugin's strings), e.g. the demo chatflow's. */
const USER_DATA = new Set( [ 'Website chat' ] );

/**
 * The plugin's English source strings that a locale translates differently:
 * whole strings, and the fixed parts of strings with placeholders.
 *
 * @param locale da_DK or nl_NL.
 */
async function englishSourceStrings( locale: Locale ): Promise< {
	whole: Set< string >;
	parts: string[];
} > {
	// A dynamic import keeps the ES module as it is (this file is compiled to CommonJS).
	const { readTranslations }: CatalogModule =
		await import( '../../scripts/lib/i18n/catalog.mjs' );
	const po = fs.readFileSync(
		path.join( LANGUAGES_DIR, `chatflows-${ locale }.po` ),
		'utf8'
	);
	// The files are written unfolded: a plural's two English forms are on consecutive lines.
	const plurals = new Map< string, string >();
	for ( const match of po.matchAll(
		/^msgid (".*")\nmsgid_plural (".*")$/gm
	) ) {
		plurals.set( JSON.parse( match[ 1 ] ), JSON.parse( match[ 2 ] ) );
	}
	const whole = new Set< string >();
	const parts = new Set< string >();
	for ( const [ key, translations ] of readTranslations( po ) ) {
		const msgid = key.split( '\u0004' ).pop() ?? '';
		const sources = [ msgid, plurals.get( msgid ) ];
		for ( const [ index, source ] of sources.entries() ) {
			if (
				! source ||
				source === translations[ index ] ||
				USER_DATA.has( source )
			) {
				continue;
			}
			whole.add( source );
			for ( const part of source.split( /%(?:\d+\$)?[sd]/ ) ) {
				// Long enough not to be a word the languages share.
				if ( part.trim().length >= 10 ) {
					parts.add( part.trim() );
				}
			}
		}
	}
	return { whole, parts: [ ...parts ] };
}

/**
 * Texts a person perceives in a part of the page: visible text, and the
 * labels, placeholders and titles of visible elements, inside shadow roots too.
 *
 * @param page  The page.
 * @param scope `widget`: only what is inside shadow roots (the chat); else a CSS selector.
 */
async function perceivedTexts(
	page: Page,
	scope: string
): Promise< string[] > {
	return page.evaluate( ( where ) => {
		const found: string[] = [];
		const visible = ( element: Element ) =>
			element.checkVisibility( {
				checkOpacity: true,
				checkVisibilityCSS: true,
			} );
		const walk = ( root: Node ) => {
			const walker = document.createTreeWalker(
				root,
				// eslint-disable-next-line no-bitwise -- the DOM's flags.
				NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT
			);
			for (
				let node: Node | null = walker.currentNode;
				node;
				node = walker.nextNode()
			) {
				if ( node.nodeType === Node.TEXT_NODE ) {
					const parent = node.parentElement;
					const text = node.textContent?.trim() ?? '';
					if (
						text &&
						parent &&
						! [ 'STYLE', 'SCRIPT' ].includes( parent.tagName ) &&
						visible( parent )
					) {
						found.push( text );
					}
					continue;
				}
				if ( node.nodeType !== Node.ELEMENT_NODE ) {
					continue; // The shadow root itself.
				}
				const element = node as Element;
				if ( visible( element ) ) {
					for ( const attribute of [
						'aria-label',
						'placeholder',
						'title',
						'alt',
					] ) {
						const value = element.getAttribute( attribute )?.trim();
						if ( value ) {
							found.push( value );
						}
					}
				}
				if ( element.shadowRoot ) {
					walk( element.shadowRoot );
				}
			}
		};
		if ( where === 'widget' ) {
			for ( const host of document.querySelectorAll( '*' ) ) {
				if ( host.shadowRoot ) {
					walk( host.shadowRoot );
				}
			}
		} else {
			for ( const root of document.querySelectorAll( where ) ) {
				walk( root );
			}
		}
		return found;
	}, scope );
}

/**
 * Fails when a part of the page still shows one of the plugin's English
 * source strings, and says which ones.
 *
 * @param page   The page.
 * @param scope  See perceivedTexts().
 * @param locale The language the page should be in.
 */
async function expectNoEnglish( page: Page, scope: string, locale: Locale ) {
	const { whole, parts } = await englishSourceStrings( locale );
	const texts = await perceivedTexts( page, scope );
	expect( texts.length, `texts found in ${ scope }` ).toBeGreaterThan( 3 );
	const english = texts.filter(
		( text ) =>
			whole.has( text ) || parts.some( ( part ) => text.includes( part ) )
	);
	expect( english, `English left in ${ scope } (${ locale })` ).toEqual( [] );
}

/**
 * The whole tour of one language: the agent's inbox, a visitor's chat with a
 * message each way, and the chatflow editor.
 *
 * @param browser       Browser.
 * @param stack         A stack whose site is in `locale`.
 * @param consoleErrors Console guard.
 * @param locale        The site's language.
 */
async function tourInLanguage(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	locale: Locale
) {
	const words = LANGUAGES[ locale ];
	// Three people log in and a message goes each way: more than the default time on a busy machine.
	test.slow();

	// The agent's inbox, before anyone writes.
	const agent = consoleErrors.watch(
		await loggedInPage( browser, stack, 'agent' )
	);
	await agent.goto( '/wp-admin/admin.php?page=chatflows-inbox' );
	await expect(
		agent.getByRole( 'heading', { name: words.inbox, level: 1 } )
	).toBeVisible();

	// The visitor: launcher, window, welcome message, all in the language.
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		'/pricing/',
		{
			timezoneId: 'Europe/Copenhagen',
		}
	);
	expect(
		await visitor.evaluate( () =>
			performance
				.getEntriesByType( 'resource' )
				.map( ( entry ) => entry.name )
				.filter( ( url ) =>
					/\/wp-includes\/js\/dist\/i18n/.test( url )
				)
		),
		'the texts come translated in the inline configuration: no wp-i18n'
	).toEqual( [] );
	await expect( visitor.locator( 'html' ) ).toHaveAttribute(
		'lang',
		words.tag
	);
	await visitor.getByRole( 'button', { name: words.openChat } ).click();
	const dialog = visitor.getByRole( 'dialog' );
	await expect(
		dialog.getByRole( 'textbox', { name: words.message } )
	).toBeVisible();
	await expect( dialog.getByText( words.welcome ) ).toBeVisible();
	await expectNoEnglish( visitor, 'widget', locale );

	// A message each way.
	await dialog
		.getByRole( 'textbox', { name: words.message } )
		.fill( words.visitorSays );
	await dialog.getByRole( 'button', { name: words.send } ).click();
	await agent
		.getByRole( 'navigation', { name: words.conversations } )
		.getByRole( 'button' )
		.filter( { hasText: words.visitorSays } )
		.click();
	const reply = agent.getByRole( 'textbox', { name: words.reply } );
	await reply.fill( words.agentSays );
	await reply.press( 'Enter' );
	await expect( dialog.getByText( words.agentSays ) ).toBeVisible();
	await expectNoEnglish( visitor, 'widget', locale );
	await expectNoEnglish( agent, '#wpbody-content', locale );

	// The chatflow editor.
	const admin = await adminPage( browser, stack, consoleErrors );
	await admin.getByRole( 'link', { name: words.editChatflow } ).click();
	await expect(
		admin.getByRole( 'heading', { name: words.editorHeading } )
	).toBeVisible();
	for ( const tab of words.tabs ) {
		await expect( admin.getByRole( 'tab', { name: tab } ) ).toBeVisible();
	}
	const textsIn = admin.getByRole( 'combobox', { name: words.textsIn } );
	// The texts of wp-admin's language come first.
	await expect( textsIn ).toHaveValue( locale );
	await expect( textsIn.locator( 'option' ) ).toHaveText( [
		...words.languageNames,
	] );
	await expectNoEnglish( admin, '#wpbody-content', locale );
}

// The fixture's site is Danish; the Dutch site is a second stack, ten ports up.
test.use( { siteName: 'i18n', siteLocale: 'da_DK' } );

test( 'a Danish site: the visitor’s chat, the inbox and the chatflow editor are Danish, with no English left', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await tourInLanguage( browser, stack, consoleErrors, 'da_DK' );
} );

test.describe( 'a Dutch site', () => {
	let dutch: Stack;

	test.beforeAll( async ( { stack } ) => {
		test.setTimeout( 180_000 );
		const { startStack }: StackModule =
			await import( '../../scripts/lib/stack.mjs' );
		const wpPort = Number( new URL( stack.wpUrl ).port ) + 10;
		dutch = await startStack( {
			dataDir: `${ stack.dataDir }-nl`,
			wpPort,
			servicePort: wpPort + 1,
			fresh: true,
			demo: true,
			locale: 'nl_NL',
			logLevel: 'warn',
		} );
	} );

	test.afterAll( async () => {
		await dutch?.stop();
	} );

	test( 'the visitor’s chat, the inbox and the chatflow editor are Dutch, with no English left', async ( {
		browser,
		consoleErrors,
	} ) => {
		await tourInLanguage( browser, dutch, consoleErrors, 'nl_NL' );
	} );
} );

test( 'a chatflow in “the page’s language” speaks Danish on a Danish page and Dutch on a Dutch page, the return time in the visitor’s zone', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	switchLocaleByPath( stack );
	const admin = await adminPage( browser, stack, consoleErrors );

	// Closed now, open again in two days from 09:00 UTC.
	const opensAt = new Date();
	opensAt.setUTCDate( opensAt.getUTCDate() + 2 );
	opensAt.setUTCHours( 9, 0, 0, 0 );
	const chatflowId = await publishChatflow( admin, 'Multilingual chat', {
		options: { language: 'page' },
		availability: {
			mode: 'office_hours',
			timeZone: 'UTC',
			hours: [
				{
					day: opensAt.getUTCDay(),
					start: '09:00',
					end: '10:00',
				},
			],
			showTypicalReplyTime: false,
			typicalReplyTime: 'minutes',
			whenAway: 'show_away_message',
			awayMessage: {},
			whenOffline: 'show_return_time',
			whenAtCapacity: 'show_wait_message',
			waitMessage: {},
		},
	} );
	const pages: Record< Locale, string > = { da_DK: '', nl_NL: '' };
	for ( const [ locale, prefix ] of [
		[ 'da_DK', 'da' ],
		[ 'nl_NL', 'nl' ],
	] as const ) {
		const parent = await rest< { id: number } >( admin, {
			path: '/wp/v2/pages',
			method: 'POST',
			data: {
				title: prefix,
				slug: prefix,
				status: 'publish',
			},
		} );
		const child = await rest< { link: string } >( admin, {
			path: '/wp/v2/pages',
			method: 'POST',
			data: {
				title: 'Kontakt',
				slug: 'kontakt',
				parent: parent.id,
				status: 'publish',
				meta: { _chatflows_chatflow_id: chatflowId },
			},
		} );
		pages[ locale ] = new URL( child.link ).pathname;
		expect( pages[ locale ] ).toBe( `/${ prefix }/kontakt/` );
	}

	for ( const locale of [ 'da_DK', 'nl_NL' ] as const ) {
		const words = LANGUAGES[ locale ];
		// Far from the office hours' zone, so that the weekday or the hour differs.
		const visitor = await visitorPage(
			browser,
			stack,
			consoleErrors,
			pages[ locale ],
			{ timezoneId: 'Pacific/Auckland' }
		);
		await expect( visitor.locator( 'html' ) ).toHaveAttribute(
			'lang',
			words.tag
		);
		await visitor.getByRole( 'button', { name: words.openChat } ).click();
		const dialog = visitor.getByRole( 'dialog' );
		await expect( dialog.getByText( words.welcome ) ).toBeVisible();
		// Written the way the visitor's browser writes it, for the language and zone.
		const when = await visitor.evaluate(
			( [ iso, tag ] ) =>
				new Intl.DateTimeFormat( tag, {
					weekday: 'long',
					hour: 'numeric',
					minute: '2-digit',
					timeZone: 'Pacific/Auckland',
				} ).format( new Date( iso ) ),
			[ opensAt.toISOString(), words.tag ] as const
		);
		await expect(
			dialog.getByText( words.awayWithReturn( when ) )
		).toBeVisible();
		await expect(
			dialog.getByRole( 'heading', { name: words.leaveMessage } )
		).toBeVisible();
		await expectNoEnglish( visitor, 'widget', locale );
		await visitor.context().close();
	}
} );
