/**
 * Choosing the chatflow in the browser: both shapes WordPress prints, the
 * visitor's traits, and asking WordPress who the visitor is only when needed.
 */
import type { WidgetConfig } from '../../page-settings';
import {
	CONTACT_FLAG,
	deviceOf,
	readVisitorTraits,
	resolveVisitorConfig,
	resolveWidgetConfig,
	type CandidateList,
} from '../resolve';
import type { VisitorTraits } from '@chatflows/chatflow-model';

const visitor: VisitorTraits = {
	contact: 'unknown',
	device: 'desktop',
	referrer: '',
	language: 'en-US',
};

function configOf( id: string ): WidgetConfig {
	return {
		chatflowId: id,
		serviceUrl: 'http://chat.example',
		chatWindowUrl: 'http://example.com/chat-window.js',
		locale: 'en_US',
		texts: {} as WidgetConfig[ 'texts' ],
	};
}

const contactsFirst: CandidateList = {
	candidates: [
		{
			config: configOf( 'contacts' ),
			visitorRules: {
				groups: [
					[
						{
							field: 'contact',
							operator: 'is',
							name: '',
							value: 'known',
						},
					],
				],
				exclude: [],
			},
		},
		{
			config: configOf( 'everyone' ),
			visitorRules: { groups: [ [] ], exclude: [] },
		},
	],
};

const membersOnly: CandidateList = {
	visitorUrl: 'http://example.com/wp-admin/admin-ajax.php?action=x',
	candidates: [
		{
			config: configOf( 'members' ),
			visitorRules: {
				groups: [
					[
						{
							field: 'role',
							operator: 'is',
							name: '',
							value: 'member',
						},
					],
				],
				exclude: [],
			},
		},
	],
};

afterEach( () => {
	window.localStorage.clear();
	jest.restoreAllMocks();
} );

describe( 'resolveWidgetConfig', () => {
	it( 'returns a single configuration as it is', () => {
		const config = configOf( '7' );
		expect( resolveWidgetConfig( config, visitor ) ).toBe( config );
	} );

	it( 'picks the first candidate whose visitor rules hold', () => {
		expect(
			resolveWidgetConfig( contactsFirst, visitor )?.chatflowId
		).toBe( 'everyone' );
		expect(
			resolveWidgetConfig( contactsFirst, {
				...visitor,
				contact: 'known',
			} )?.chatflowId
		).toBe( 'contacts' );
	} );

	it( 'gives null when no candidate holds, or for anything else', () => {
		expect(
			resolveWidgetConfig(
				{ candidates: [ contactsFirst.candidates[ 0 ] ] },
				visitor
			)
		).toBeNull();
		expect( resolveWidgetConfig( undefined, visitor ) ).toBeNull();
		expect(
			resolveWidgetConfig( { candidates: 'x' }, visitor )
		).toBeNull();
		expect(
			resolveWidgetConfig(
				{ candidates: [ { config: {}, visitorRules: {} } ] },
				visitor
			)
		).toBeNull();
	} );
} );

describe( 'deviceOf', () => {
	it.each( [
		[
			'a phone',
			'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
			390,
			5,
			'mobile',
		],
		[
			'an Android phone',
			'Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120 Mobile Safari/537.36',
			412,
			5,
			'mobile',
		],
		[
			'an Android tablet',
			'Mozilla/5.0 (Linux; Android 14; SM-X910) Chrome/120 Safari/537.36',
			1280,
			5,
			'tablet',
		],
		[ 'an iPad', 'Mozilla/5.0 (iPad; CPU OS 17_0)', 820, 5, 'tablet' ],
		[
			'an iPad that says it is a Mac',
			'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15',
			1024,
			5,
			'tablet',
		],
		[
			'a desktop',
			'Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36',
			1280,
			0,
			'desktop',
		],
		[
			'a narrow desktop window',
			'Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36',
			600,
			0,
			'mobile',
		],
	] )( '%s', ( _name, userAgent, width, touch, device ) => {
		expect( deviceOf( userAgent, width, touch ) ).toBe( device );
	} );
} );

describe( 'readVisitorTraits', () => {
	it( 'reads the contact flag, the referrer and the page language', () => {
		document.documentElement.lang = 'da-DK';
		jest.spyOn( document, 'referrer', 'get' ).mockReturnValue(
			'https://www.google.com/'
		);
		expect( readVisitorTraits() ).toMatchObject( {
			contact: 'unknown',
			referrer: 'https://www.google.com/',
			language: 'da-DK',
		} );
		window.localStorage.setItem( CONTACT_FLAG, '1' );
		expect( readVisitorTraits().contact ).toBe( 'known' );
		expect( readVisitorTraits().user ).toBeUndefined();
	} );

	it( 'treats blocked storage as an unknown visitor', () => {
		jest.spyOn( Storage.prototype, 'getItem' ).mockImplementation( () => {
			throw new Error( 'blocked' );
		} );
		expect( readVisitorTraits().contact ).toBe( 'unknown' );
	} );
} );

describe( 'resolveVisitorConfig', () => {
	function answer( body: unknown, ok = true ) {
		const fetchMock = jest.fn().mockResolvedValue( {
			ok,
			json: () => Promise.resolve( body ),
		} );
		window.fetch = fetchMock;
		return fetchMock;
	}

	it( 'asks WordPress who the visitor is when a rule is about the user', async () => {
		const fetchMock = answer( { loggedIn: true, roles: [ 'member' ] } );
		const config = await resolveVisitorConfig( membersOnly, visitor );
		expect( config?.chatflowId ).toBe( 'members' );
		expect( fetchMock ).toHaveBeenCalledWith(
			membersOnly.visitorUrl,
			expect.objectContaining( { credentials: 'same-origin' } )
		);
	} );

	it( 'shows nothing to a user without the role', async () => {
		answer( { loggedIn: true, roles: [ 'subscriber' ] } );
		expect( await resolveVisitorConfig( membersOnly, visitor ) ).toBeNull();
	} );

	it( 'treats a failed answer as an unknown user', async () => {
		answer( { error: 'x' }, false );
		expect( await resolveVisitorConfig( membersOnly, visitor ) ).toBeNull();
	} );

	it( 'never asks when no rule is about the user', async () => {
		const fetchMock = answer( { loggedIn: true, roles: [] } );
		const config = await resolveVisitorConfig(
			{ ...contactsFirst, visitorUrl: membersOnly.visitorUrl },
			visitor
		);
		expect( config?.chatflowId ).toBe( 'everyone' );
		expect( fetchMock ).not.toHaveBeenCalled();
	} );
} );
