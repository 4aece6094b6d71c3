/**
 * Tests of the context panel's consents and marketing flag: each consent
 * record with what, the answer, how, when (in the agent's language and time
 * zone), the language, the chatflow, the page and the exact text shown with
 * its version; text from browsers shown literally, and only web addresses as
 * links.
 */
import { dispatch } from '@wordpress/data';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { ConsentRecord, ConversationSummary } from '@chatflows/protocol';
import { conversationContext } from '../../test/fixtures';
import type { InboxConnection } from '../../connection';
import { store } from '../../store';
import { ContextPanel } from '../context-panel';
import { ConsentRecords } from '../consent-records';

const COOKIE_TEXT = 'We use cookies to keep your chat across pages.';

function record( overrides: Partial< ConsentRecord > = {} ): ConsentRecord {
	return {
		id: 'r1',
		visitorId: 'v1',
		contactId: null,
		chatflowId: '7',
		kind: 'cookies',
		granted: true,
		method: 'banner',
		text: COOKIE_TEXT,
		textVersion: '0123456789abcdef',
		language: 'da_DK',
		pageUrl: 'https://shop.example/pricing/',
		recordedAt: '2026-11-22T12:05:00.000Z',
		...overrides,
	};
}

/**
 * The value a description list gives for a term, within one element.
 *
 * @param scope The element holding the list.
 * @param term  The term's text.
 */
function fact( scope: HTMLElement, term: string ): HTMLElement {
	const label = within( scope )
		.getAllByRole( 'term' )
		.find( ( element ) => element.textContent === term );
	const value = label?.nextElementSibling;
	if ( ! ( value instanceof HTMLElement ) ) {
		throw new Error( `No value for ${ term }` );
	}
	return value;
}

function item( heading: string ): HTMLElement {
	return screen
		.getByRole( 'heading', { level: 4, name: heading } )
		.closest( 'li' ) as HTMLElement;
}

/**
 * Renders the records as the panel does for a conversation of chatflow 7,
 * "Website chat".
 *
 * @param consents The records.
 */
function showRecords( consents: ConsentRecord[] ) {
	return render(
		<ConsentRecords
			chatflowId="7"
			chatflowName="Website chat"
			consents={ consents }
		/>
	);
}

beforeEach( () => {
	document.documentElement.lang = 'en-US';
} );

afterEach( () => {
	document.documentElement.lang = '';
} );

describe( 'ConsentRecords', () => {
	it( 'shows each record, newest first, with what, the answer, how, when, the language, the chatflow, the page and the text shown', async () => {
		document.documentElement.lang = 'da-DK';
		showRecords( [
			record( {
				id: 'r2',
				kind: 'communications',
				granted: true,
				method: 'checkbox',
				text: 'Send me the monthly newsletter.',
				textVersion: 'fedcba9876543210',
				subscriptionType: 'Newsletter',
				language: 'nl_NL',
			} ),
			record(),
		] );

		const list = screen.getByRole( 'list', { name: 'Consent records' } );
		const items = within( list ).getAllByRole( 'listitem' );
		expect(
			items.map(
				( element ) =>
					within( element ).getByRole( 'heading', { level: 4 } )
						.textContent
			)
		).toEqual( [ 'Communications: given', 'Cookies: given' ] );

		const communications = items[ 0 ];
		expect( fact( communications, 'Subscription type' ) ).toHaveTextContent(
			'Newsletter'
		);
		expect( fact( communications, 'How' ) ).toHaveTextContent(
			'The chat’s checkbox'
		);

		const cookies = items[ 1 ];
		expect( () => fact( cookies, 'Subscription type' ) ).toThrow();
		expect( fact( cookies, 'How' ) ).toHaveTextContent(
			'The chat’s banner'
		);
		// In Danish, at the hour of the agent's own time zone.
		const hour = String(
			new Date( '2026-11-22T12:05:00.000Z' ).getHours()
		).padStart( 2, '0' );
		const when = fact( cookies, 'When' );
		expect( when ).toHaveTextContent( /\d+\. nov\. 2026/ );
		expect( when ).toHaveTextContent( new RegExp( `${ hour }[.:]05` ) );
		expect( when.querySelector( 'time' ) ).toHaveAttribute(
			'datetime',
			'2026-11-22T12:05:00.000Z'
		);
		expect( fact( cookies, 'Language' ) ).toHaveTextContent( /\(da_DK\)$/ );
		expect( fact( cookies, 'Chatflow' ) ).toHaveTextContent(
			'Website chat'
		);
		expect(
			within( fact( cookies, 'Page' ) ).getByRole( 'link', {
				name: 'https://shop.example/pricing/',
			} )
		).toHaveAttribute( 'href', 'https://shop.example/pricing/' );

		// The exact text, folded under its version.
		const text = within( cookies ).getByRole( 'group' );
		expect(
			within( text ).getByText( 'Text shown (version 0123456789abcdef)' )
		).toBeInTheDocument();
		expect( text ).not.toHaveAttribute( 'open' );
		await userEvent.click(
			within( text ).getByText( 'Text shown (version 0123456789abcdef)' )
		);
		expect( text ).toHaveAttribute( 'open' );
		expect( within( text ).getByText( COOKIE_TEXT ) ).toBeInTheDocument();
	} );

	it( 'names the language in the agent’s language', () => {
		showRecords( [ record() ] );
		expect(
			fact( item( 'Cookies: given' ), 'Language' )
		).toHaveTextContent( 'Danish (Denmark) (da_DK)' );
	} );

	it( 'tells declined from given, in words', () => {
		showRecords( [
			record( {
				id: 'r3',
				kind: 'data_processing',
				granted: false,
				method: 'checkbox',
			} ),
			record( {
				id: 'r4',
				kind: 'data_processing',
				method: 'notice',
			} ),
		] );
		const declined = item( 'Processing of personal data: declined' );
		expect( declined ).toHaveClass( 'is-declined' );
		const given = item( 'Processing of personal data: given' );
		expect( given ).toHaveClass( 'is-given' );
		expect( fact( given, 'How' ) ).toHaveTextContent(
			'A notice shown (no click needed)'
		);
	} );

	it( 'shows hostile text literally, never as HTML', async () => {
		const hostile =
			'<img src=x onerror="window.chatflowsPwned=1"><b>Agree</b>';
		const { container } = showRecords( [
			record( {
				text: hostile,
				subscriptionType: '<i>Offers</i>',
				kind: 'communications',
				method: 'checkbox',
			} ),
		] );
		const communications = item( 'Communications: given' );
		await userEvent.click(
			within( communications ).getByText( /^Text shown/ )
		);
		expect( within( communications ).getByText( hostile ) ).toBeVisible();
		expect( fact( communications, 'Subscription type' ) ).toHaveTextContent(
			'<i>Offers</i>'
		);
		expect( container.querySelectorAll( 'img, b, i' ) ).toHaveLength( 0 );
	} );

	it( 'shows a page that is not a web address as text, not as a link', () => {
		showRecords( [
			record( { pageUrl: 'javascript:alert(document.cookie)' } ),
		] );
		const page = fact( item( 'Cookies: given' ), 'Page' );
		expect( page ).toHaveTextContent( 'javascript:alert(document.cookie)' );
		expect( within( page ).queryByRole( 'link' ) ).not.toBeInTheDocument();
		expect( document.querySelector( 'a[href^="javascript"]' ) ).toBeNull();
	} );

	it( 'names another chatflow by its ID, and shows the consent plugin’s category instead of a text', () => {
		showRecords( [
			record( {
				chatflowId: '99',
				method: 'wp_consent_api',
				text: 'preferences',
			} ),
		] );
		const cookies = item( 'Cookies: given' );
		expect( fact( cookies, 'Chatflow' ) ).toHaveTextContent(
			'Chatflow #99'
		);
		expect( fact( cookies, 'How' ) ).toHaveTextContent(
			'The site’s consent plugin'
		);
		expect( fact( cookies, 'Consent category' ) ).toHaveTextContent(
			'preferences'
		);
		expect(
			within( cookies ).queryByRole( 'group' )
		).not.toBeInTheDocument();
	} );

	it( 'says when none are recorded', () => {
		showRecords( [] );
		expect( screen.getByText( 'None recorded.' ) ).toBeInTheDocument();
		expect( screen.queryByRole( 'list' ) ).not.toBeInTheDocument();
	} );
} );

describe( 'ContextPanel', () => {
	const connection = {} as InboxConnection;

	function summary( id: string ): ConversationSummary {
		return {
			id,
			chatflowId: '7',
			status: 'open',
			createdAt: '2026-11-22T12:00:00Z',
			updatedAt: '2026-11-22T12:00:00Z',
			visitorId: 'v1',
			pageUrl: 'https://shop.example/pricing/',
			lastMessage: null,
		};
	}

	function show( conversationId: string, overrides = {} ) {
		dispatch( store ).receiveConversations( [ summary( conversationId ) ] );
		dispatch( store ).receiveContext(
			conversationContext( conversationId, {
				chatflowName: 'Website chat',
				...overrides,
			} )
		);
		render(
			<ContextPanel
				conversationId={ conversationId }
				connection={ connection }
			/>
		);
		return screen.getByRole( 'complementary', {
			name: 'About the visitor',
		} );
	}

	it( 'shows the consents under their own heading, the chatflow by its name', () => {
		const panel = show( 'c-consents', {
			consents: [ record( { granted: false } ) ],
		} );
		expect(
			within( panel ).getByRole( 'heading', {
				level: 3,
				name: 'Consents',
			} )
		).toBeInTheDocument();
		expect(
			fact( item( 'Cookies: declined' ), 'Chatflow' )
		).toHaveTextContent( 'Website chat' );
	} );

	it( 'says when no consent is recorded', () => {
		const panel = show( 'c-none' );
		expect( within( panel ).getByText( 'None recorded.' ) ).toBeVisible();
	} );

	it( 'shows none recorded, rather than failing, when a service older than the plugin sends no consents', () => {
		const panel = show( 'c-older-service', { consents: undefined } );
		expect( within( panel ).getByText( 'None recorded.' ) ).toBeVisible();
	} );

	it( 'shows a marketing contact as such', () => {
		const panel = show( 'c-marketing', {
			contact: {
				id: 'k1',
				email: 'ada@example.com',
				name: 'Ada',
				marketing: true,
			},
		} );
		expect( fact( panel, 'Marketing contact' ) ).toHaveTextContent( 'Yes' );
	} );

	it( 'shows a contact that is not a marketing contact as such', () => {
		const panel = show( 'c-not-marketing', {
			contact: { id: 'k2', email: 'bo@example.com', name: 'Bo' },
		} );
		expect( fact( panel, 'Marketing contact' ) ).toHaveTextContent( 'No' );
	} );

	it( 'shows an address the visitor typed and never confirmed as a claim, not as their contact', () => {
		const panel = show( 'c-claim', {
			claim: {
				email: 'vera.victim@example.com',
				name: 'Mallory',
				claimedAt: '2026-11-22T12:05:00.000Z',
			},
		} );
		expect( fact( panel, 'E-mail' ) ).toHaveTextContent(
			'claimed: vera.victim@example.com (not verified)'
		);
		expect( fact( panel, 'Name' ) ).toHaveTextContent(
			'typed: Mallory (not verified)'
		);
		expect( () => fact( panel, 'Marketing contact' ) ).toThrow();
	} );

	it( 'shows the confirmed contact, not an older claim', () => {
		const panel = show( 'c-confirmed', {
			contact: { id: 'k3', email: 'nora@example.com', name: 'Nora' },
			claim: {
				email: 'other@example.com',
				name: '',
				claimedAt: '2026-11-22T12:05:00.000Z',
			},
		} );
		expect( fact( panel, 'E-mail' ) ).toHaveTextContent(
			/^nora@example\.com$/
		);
	} );

	it( 'shows no marketing flag for an anonymous visitor', () => {
		const panel = show( 'c-anonymous' );
		expect( within( panel ).getByText( 'E-mail' ) ).toBeInTheDocument();
		expect( () => fact( panel, 'Marketing contact' ) ).toThrow();
	} );
} );
