/**
 * Tests of the variables of saved replies and of which replies a `/` search
 * offers first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	conversationContext,
	conversationSummary,
} from '../../inbox/test/fixtures';
import { matchingReplies, replyLanguageOf } from '../matching';
import { savedReply as reply } from './fixtures';
import {
	conversationValues,
	fillVariables,
	GAP,
	VARIABLES,
} from '../variables';

const conversation = conversationSummary();

describe( 'fillVariables', () => {
	it( 'fills every known value, each time it appears', () => {
		expect(
			fillVariables(
				'Hej {visitor_name} ({visitor_email}), {agent_name} fra {site_name} her. Du er på {page_url}. Tak, {visitor_name}!',
				{
					visitor_name: 'Mette',
					visitor_email: 'mette@example.dk',
					agent_name: 'Alex',
					site_name: 'Bolt & Co',
					page_url: 'https://shop.example/priser/',
				}
			)
		).toEqual( {
			text: 'Hej Mette (mette@example.dk), Alex fra Bolt & Co her. Du er på https://shop.example/priser/. Tak, Mette!',
			gaps: [],
		} );
	} );

	it( 'leaves a visible gap for an unknown or empty value and for a name that is no variable, never the raw placeholder', () => {
		const filled = fillVariables(
			'Hi {visitor_name}, write to {visitor_email}. {nickname} {site_name}',
			{ visitor_name: '  ', site_name: 'Shop' }
		);
		expect( filled.text ).toBe(
			`Hi ${ GAP }, write to ${ GAP }. ${ GAP } Shop`
		);
		expect( filled.text ).not.toMatch( /\{[a-z_]+\}/ );
		expect(
			filled.gaps.map( ( gap ) =>
				filled.text.slice( gap.start, gap.end )
			)
		).toEqual( [ GAP, GAP, GAP ] );
		expect( filled.gaps[ 0 ].start ).toBe( 3 );
	} );

	it( 'keeps braces that hold no variable name', () => {
		expect( fillVariables( 'Code { 42 } and {}', {} ).text ).toBe(
			'Code { 42 } and {}'
		);
	} );

	it( 'knows the same variables as WordPress', () => {
		const php = readFileSync(
			path.join(
				__dirname,
				'../../../../plugin/replies/class-saved-replies.php'
			),
			'utf8'
		);
		const list = /const VARIABLES = array\(([^)]*)\)/.exec( php )?.[ 1 ];
		expect(
			[ ...( list ?? '' ).matchAll( /'([a-z_]+)'/g ) ].map(
				( match ) => match[ 1 ]
			)
		).toEqual( [ ...VARIABLES ] );
	} );
} );

describe( 'conversationValues', () => {
	it( 'takes the contact, else what the visitor typed; the alias over the agent’s name; the page the visitor is on', () => {
		const context = conversationContext( 'c1', {
			claim: {
				email: 'typed@example.dk',
				name: 'Typed Name',
				claimedAt: '2026-12-01T10:00:00.000Z',
			},
		} );
		context.visitor.currentPage = {
			url: 'https://shop.example/priser/',
			title: 'Priser',
		};
		expect(
			conversationValues( {
				conversation,
				context,
				agentName: 'Alex Agent',
				alias: 'Bolt support',
				siteName: 'Bolt',
			} )
		).toEqual( {
			visitor_name: 'Typed Name',
			visitor_email: 'typed@example.dk',
			agent_name: 'Bolt support',
			site_name: 'Bolt',
			page_url: 'https://shop.example/priser/',
		} );
		expect(
			conversationValues( {
				conversation: {
					...conversation,
					visitorName: 'Mette',
					visitorEmail: 'mette@example.dk',
				},
				context: null,
				agentName: 'Alex Agent',
				alias: '',
				siteName: 'Bolt',
			} )
		).toEqual( {
			visitor_name: 'Mette',
			visitor_email: 'mette@example.dk',
			agent_name: 'Alex Agent',
			site_name: 'Bolt',
			page_url: 'https://shop.example/start/',
		} );
	} );
} );

describe( 'matchingReplies', () => {
	const replies = [
		reply( { id: 1, shortcut: 'thanks', language: 'en_US' } ),
		reply( { id: 2, shortcut: 'thanks', language: 'da_DK' } ),
		reply( { id: 3, shortcut: 'thanks', language: '' } ),
		reply( { id: 4, shortcut: 'thanks', language: 'nl_NL' } ),
		reply( {
			id: 5,
			shortcut: 'shipping',
			name: 'Forsendelse',
			text: 'Vi sender med GLS i morgen.',
			language: 'da_DK',
		} ),
	];

	it( 'puts the visitor’s language first, then any language, then the others', () => {
		expect(
			matchingReplies( replies, 'tha', 'da_DK' ).map( ( r ) => r.id )
		).toEqual( [ 2, 3, 1, 4 ] );
		expect(
			matchingReplies( replies, 'thanks', 'nl_NL' ).map( ( r ) => r.id )
		).toEqual( [ 4, 3, 1, 2 ] );
	} );

	it( 'finds replies by words of their name or text, in any case and without accents', () => {
		expect(
			matchingReplies( replies, 'GLS morgen', '' ).map( ( r ) => r.id )
		).toEqual( [ 5 ] );
		expect(
			matchingReplies(
				[ reply( { id: 9, shortcut: 'cafe', text: 'Café' } ) ],
				'café',
				''
			).map( ( r ) => r.id )
		).toEqual( [ 9 ] );
		expect( matchingReplies( replies, 'refund', '' ) ).toEqual( [] );
	} );

	it( 'maps the visitor’s language tag to the replies’ languages', () => {
		expect( replyLanguageOf( 'da-dk' ) ).toBe( 'da_DK' );
		expect( replyLanguageOf( 'nl-BE' ) ).toBe( 'nl_NL' );
		expect( replyLanguageOf( 'en' ) ).toBe( 'en_US' );
		expect( replyLanguageOf( 'de-de' ) ).toBe( '' );
		expect( replyLanguageOf( '' ) ).toBe( '' );
	} );
} );
