/**
 * The window's pure helpers: placeholders, formats in the chat's language,
 * colours, addresses, availability, headings and which form shows.
 */
import type { ChatMessage } from '@chatflows/protocol';
import { availabilityView } from '../availability-view';
import { authorOf, headingView, typistOf } from '../heading';
import { fill, formatReturnTime, formatWait, isEmailAddress } from '../text';
import { deviceTypeOf } from '../visitor-context';
import { initialChatState } from '../visitor-chat';
import {
	asksEmailAfterFirstMessage,
	composerMode,
	seenVisitorSeq,
} from '../window-view';
import { WINDOW_TEXTS, chatflowSettings, widgetConfig } from './fixtures';

function message(
	seq: number,
	authorType: ChatMessage[ 'authorType' ],
	authorName = ''
): ChatMessage {
	return {
		conversationId: 'conv-1',
		seq,
		clientId: `c${ seq }`,
		authorType,
		authorName,
		body: `message ${ seq }`,
		createdAt: '2026-01-01T00:00:00.000Z',
	};
}

describe( 'fill', () => {
	it( 'fills placeholders in order and by position, and leaves extra ones', () => {
		expect( fill( 'Back %s.', 'Monday' ) ).toBe( 'Back Monday.' );
		expect( fill( '%2$s then %1$s', 'a', 'b' ) ).toBe( 'b then a' );
		expect( fill( '%s and %s', 'x' ) ).toBe( 'x and %s' );
	} );
} );

describe( 'formats in the chat’s language and the visitor’s time zone', () => {
	// Monday 5 January 2026, 08:00 UTC.
	const instant = '2026-01-05T08:00:00.000Z';

	it( 'gives the return time as weekday and time', () => {
		expect(
			formatReturnTime( instant, 'en_US', 'Europe/Copenhagen' )
		).toMatch( /^Monday,? 9:00\s?AM$/ );
		expect(
			formatReturnTime( instant, 'en_US', 'America/New_York' )
		).toMatch( /^Monday,? 3:00\s?AM$/ );
		expect(
			formatReturnTime( instant, 'da_DK', 'Europe/Copenhagen' )
		).toMatch( /^mandag (kl\. )?09[.:]00$/ );
		expect( formatReturnTime( 'not a date', 'en_US' ) ).toBe( '' );
	} );

	it( 'gives the wait in whole minutes, at least one', () => {
		expect( formatWait( 360, 'en_US' ) ).toBe( '6 minutes' );
		expect( formatWait( 10, 'en_US' ) ).toBe( '1 minute' );
		expect( formatWait( 180, 'nl_NL' ) ).toBe( '3 minuten' );
	} );
} );

describe( 'isEmailAddress', () => {
	it( 'accepts what the service accepts', () => {
		expect( isEmailAddress( ' ana@example.com ' ) ).toBe( true );
		expect( isEmailAddress( 'ana@example' ) ).toBe( false );
		expect( isEmailAddress( 'ana example.com' ) ).toBe( false );
		expect( isEmailAddress( '<ana>@example.com' ) ).toBe( false );
		expect( isEmailAddress( `${ 'a'.repeat( 250 ) }@example.com` ) ).toBe(
			false
		);
	} );
} );

describe( 'deviceTypeOf', () => {
	it( 'calls narrow screens phones, touch screens up to 1024 px tablets', () => {
		expect( deviceTypeOf( 375, true ) ).toBe( 'mobile' );
		expect( deviceTypeOf( 599, false ) ).toBe( 'mobile' );
		expect( deviceTypeOf( 768, true ) ).toBe( 'tablet' );
		expect( deviceTypeOf( 768, false ) ).toBe( 'desktop' );
		expect( deviceTypeOf( 1280, true ) ).toBe( 'desktop' );
	} );
} );

describe( 'availabilityView', () => {
	const settings = chatflowSettings().availability;
	const view = (
		state: 'available' | 'away' | 'offline' | 'at_capacity',
		changes: Partial< typeof settings > = {},
		nextReturnAt: string | null = null
	) =>
		availabilityView(
			{
				chatflowId: '42',
				state,
				nextReturnAt,
				behaviour: { ...settings, ...changes },
			},
			settings,
			WINDOW_TEXTS,
			'en_US',
			'UTC'
		);

	it( 'shows nothing before the service reported', () => {
		expect(
			availabilityView( null, settings, WINDOW_TEXTS, 'en_US' )
		).toEqual( {
			state: null,
			notice: '',
			hideLauncher: false,
			offlineForm: false,
		} );
	} );

	it( 'available: the typical reply time when shown', () => {
		expect( view( 'available' ).notice ).toBe( 'Replies in minutes.' );
		expect( view( 'available', { typicalReplyTime: 'day' } ).notice ).toBe(
			'Replies within a day.'
		);
		expect(
			view( 'available', { showTypicalReplyTime: false } ).notice
		).toBe( '' );
		expect( view( 'available' ).offlineForm ).toBe( false );
	} );

	it( 'away: the away message and the offline form, or a hidden launcher', () => {
		expect( view( 'away' ) ).toEqual( {
			state: 'away',
			notice: 'We are away.',
			hideLauncher: false,
			offlineForm: true,
		} );
		expect(
			view( 'away', { whenAway: 'hide_launcher' } ).hideLauncher
		).toBe( true );
	} );

	it( 'offline: the return time, the away message, a hidden launcher, or nothing', () => {
		const monday9 = '2026-01-05T09:00:00.000Z';
		expect( view( 'offline', {}, monday9 ) ).toEqual( {
			state: 'offline',
			notice: expect.stringMatching( /^Back Monday,? 9:00\s?AM\.$/ ),
			hideLauncher: false,
			offlineForm: true,
		} );
		// Offline with no office hours to return to (nobody connected): the away message.
		expect( view( 'offline', {}, null ).notice ).toBe( 'We are away.' );
		expect(
			view( 'offline', { whenOffline: 'show_away_message' }, monday9 )
				.notice
		).toBe( 'We are away.' );
		expect(
			view( 'offline', { whenOffline: 'hide_launcher' }, monday9 )
		).toMatchObject( { hideLauncher: true, offlineForm: true } );
		expect(
			view( 'offline', { whenOffline: 'nothing' }, monday9 )
		).toMatchObject( {
			notice: '',
			hideLauncher: false,
			offlineForm: false,
		} );
	} );

	it( 'at capacity: the wait message, a hidden launcher, or nothing; the visitor still writes', () => {
		expect( view( 'at_capacity' ) ).toEqual( {
			state: 'at_capacity',
			notice: 'Everyone is busy.',
			hideLauncher: false,
			offlineForm: false,
		} );
		expect(
			view( 'at_capacity', { whenAtCapacity: 'hide_launcher' } )
				.hideLauncher
		).toBe( true );
		expect(
			view( 'at_capacity', { whenAtCapacity: 'nothing' } ).notice
		).toBe( '' );
	} );

	it( 'follows the behaviour the service sends over the page’s copy', () => {
		expect(
			availabilityView(
				{
					chatflowId: '42',
					state: 'away',
					nextReturnAt: null,
					behaviour: { ...settings, whenAway: 'hide_launcher' },
				},
				settings,
				WINDOW_TEXTS,
				'en_US'
			).hideLauncher
		).toBe( true );
	} );
} );

describe( 'heading', () => {
	const texts = widgetConfig().texts;

	it( 'custom branding shows its name and image, and aliases agents when asked', () => {
		const heading = {
			mode: 'custom_branding' as const,
			teamName: 'Support Crew',
			imageUrl: 'https://example.com/logo.png',
			useAsAlias: true,
		};
		const messages = [ message( 1, 'agent', 'Alex Agent' ) ];
		expect( headingView( heading, texts, messages ) ).toEqual( {
			name: 'Support Crew',
			imageUrl: 'https://example.com/logo.png',
			initials: 'SC',
		} );
		expect( authorOf( messages[ 0 ], heading, texts ) ).toBe(
			'Support Crew'
		);
		expect( typistOf( heading, texts, messages ) ).toBe( 'Support Crew' );
		expect(
			authorOf( messages[ 0 ], { ...heading, useAsAlias: false }, texts )
		).toBe( 'Alex Agent' );
	} );

	it( 'users and teams: the agent who answers, else the default heading', () => {
		const heading = chatflowSettings().heading;
		expect( headingView( heading, texts, [] ) ).toEqual( {
			name: 'Chat with us',
			imageUrl: '',
			initials: '',
		} );
		const messages = [
			message( 1, 'visitor' ),
			message( 2, 'agent', 'Alex Agent' ),
			message( 3, 'agent', 'Bo Berg' ),
		];
		expect( headingView( heading, texts, messages ).name ).toBe(
			'Bo Berg'
		);
		expect( typistOf( heading, texts, messages ) ).toBe( 'Bo Berg' );
		expect( typistOf( heading, texts, [] ) ).toBe( 'Team' );
		expect( authorOf( messages[ 0 ], heading, texts ) ).toBe( 'You' );
		expect( authorOf( message( 4, 'agent' ), heading, texts ) ).toBe(
			'Team'
		);
	} );

	it( 'users and teams: the chosen people before an agent answers, the first one’s avatar', () => {
		const heading = {
			...chatflowSettings().heading,
			mode: 'users_and_teams' as const,
			people: [
				{ name: 'Alex Agent', imageUrl: 'https://example.com/a.png' },
				{ name: 'Sales', imageUrl: '' },
			],
		};
		expect( headingView( heading, texts, [] ) ).toEqual( {
			name: 'Alex Agent, Sales',
			imageUrl: 'https://example.com/a.png',
			initials: 'AA',
		} );
		expect(
			headingView( heading, texts, [ message( 1, 'agent', 'Bo Berg' ) ] )
				.name
		).toBe( 'Bo Berg' );
		// Another mode never shows them.
		expect(
			headingView(
				{ ...heading, mode: 'contact_owner' as const },
				texts,
				[]
			).name
		).toBe( 'Chat with us' );
	} );
} );

describe( 'which form the window shows', () => {
	const availableView = {
		state: 'available' as const,
		notice: '',
		hideLauncher: false,
		offlineForm: false,
	};
	const offlineView = {
		...availableView,
		state: 'offline' as const,
		offlineForm: true,
	};
	const capture = (
		when: 'before_chat' | 'after_first_message' | 'when_offline'
	) => ( {
		enabled: true,
		when,
		message: 'Your e-mail?',
	} );

	it( 'offers nothing to send once the service refuses the chatflow, even in an open conversation', () => {
		expect(
			composerMode(
				{
					...initialChatState( 'unavailable' ),
					conversation: {
						id: 'conv-1',
						chatflowId: '42',
						status: 'open',
						createdAt: '2026-01-01T00:00:00.000Z',
					},
				},
				offlineView,
				undefined,
				false
			)
		).toBe( 'unavailable' );
	} );

	it( 'offers the offline form for a new conversation while nobody answers or the service is unreachable', () => {
		const state = initialChatState( 'connected' );
		expect( composerMode( state, offlineView, undefined, false ) ).toBe(
			'offline'
		);
		expect(
			composerMode(
				initialChatState( 'unreachable' ),
				availableView,
				undefined,
				false
			)
		).toBe( 'offline' );
		// An open conversation goes on as a chat; so does a message just left.
		expect(
			composerMode(
				{
					...state,
					conversation: {
						id: 'c',
						chatflowId: '42',
						status: 'open',
						createdAt: '',
					},
				},
				offlineView,
				undefined,
				false
			)
		).toBe( 'compose' );
		expect(
			composerMode(
				{ ...state, leftOfflineMessage: true },
				offlineView,
				undefined,
				false
			)
		).toBe( 'compose' );
	} );

	it( 'asks the address first when the chatflow wants it before the chat, unless known', () => {
		const state = initialChatState( 'connected' );
		expect(
			composerMode(
				state,
				availableView,
				capture( 'before_chat' ),
				false
			)
		).toBe( 'email_first' );
		expect(
			composerMode( state, availableView, capture( 'before_chat' ), true )
		).toBe( 'compose' );
		expect(
			composerMode(
				{ ...state, contact: 'saved' },
				availableView,
				capture( 'before_chat' ),
				false
			)
		).toBe( 'compose' );
		expect(
			composerMode(
				{ ...state, messages: [ message( 1, 'visitor' ) ] },
				availableView,
				capture( 'before_chat' ),
				false
			)
		).toBe( 'compose' );
		expect(
			composerMode(
				state,
				availableView,
				{ ...capture( 'before_chat' ), enabled: false },
				false
			)
		).toBe( 'compose' );
	} );

	it( 'asks the address after the visitor’s first message when the chatflow wants it then', () => {
		const state = initialChatState( 'connected' );
		const afterFirst = capture( 'after_first_message' );
		expect( asksEmailAfterFirstMessage( state, afterFirst, false ) ).toBe(
			false
		);
		const written = { ...state, messages: [ message( 1, 'visitor' ) ] };
		expect( asksEmailAfterFirstMessage( written, afterFirst, false ) ).toBe(
			true
		);
		expect( asksEmailAfterFirstMessage( written, afterFirst, true ) ).toBe(
			false
		);
		expect(
			asksEmailAfterFirstMessage(
				{ ...written, contact: 'saved' },
				afterFirst,
				false
			)
		).toBe( false );
		expect(
			asksEmailAfterFirstMessage(
				written,
				capture( 'when_offline' ),
				false
			)
		).toBe( false );
	} );

	it( 'puts "Seen" on the visitor’s last message the team read', () => {
		const state = {
			...initialChatState( 'connected' ),
			messages: [
				message( 1, 'visitor' ),
				message( 2, 'agent', 'A' ),
				message( 3, 'visitor' ),
				message( 4, 'visitor' ),
			],
		};
		expect( seenVisitorSeq( { ...state, agentReadSeq: 0 } ) ).toBe( 0 );
		expect( seenVisitorSeq( { ...state, agentReadSeq: 3 } ) ).toBe( 3 );
		expect( seenVisitorSeq( { ...state, agentReadSeq: 2 } ) ).toBe( 1 );
	} );
} );
