/**
 * Mentions as notifications: a new mention in a background tab shows a
 * browser notification when allowed (a click opens its conversation), the
 * mentions listed when the inbox opens are not news, and the admin menu's
 * count includes the unseen mentions.
 */
import type { InternalNote, MentionItem } from '@chatflows/protocol';

function mention( seq: number, seen = false ): MentionItem {
	const note: InternalNote = {
		conversationId: 'c1',
		seq,
		clientId: `n${ seq }`,
		authorId: '8',
		authorName: 'Bob',
		body: `<b>look</b> ${ seq }`,
		mentions: [ { type: 'agent', id: '7', name: 'Ann' } ],
		createdAt: 'T',
	};
	return { note, seen };
}

function setUp( permission: NotificationPermission ) {
	let modules: any;
	jest.isolateModules( () => {
		modules = {
			mentions: require( '../mention-notifier' ),
			notifications: require( '../notifications' ),
			data: require( '@wordpress/data' ),
			store: require( '../store' ).store,
		};
	} );
	document.body.innerHTML =
		'<a><span class="awaiting-mod chatflows-waiting-count count-0"><span class="pending-count">0</span><span class="screen-reader-text"></span></span></a>';
	let hidden = true;
	const shown: Array< { title: string; options?: NotificationOptions } > = [];
	const clicks: Array< () => void > = [];
	class FakeNotification {
		static permission = permission;

		static requestPermission = jest.fn();

		onclick: ( ( event: Event ) => void ) | null = null;

		close = jest.fn();

		constructor( title: string, options?: NotificationOptions ) {
			shown.push( { title, options } );
			clicks.push( () => this.onclick?.( new Event( 'click' ) ) );
		}
	}
	const environment = {
		document: {
			title: 'Inbox',
			get hidden() {
				return hidden;
			},
			addEventListener: () => undefined,
			removeEventListener: () => undefined,
			querySelectorAll: document.querySelectorAll.bind( document ),
		},
		Notification: FakeNotification,
		focus: jest.fn(),
	};
	const stops = [
		modules.notifications.startNotifier( environment ),
		modules.mentions.startMentionNotifier( environment ),
	];
	const act = () => modules.data.dispatch( modules.store );
	const read = () => modules.data.select( modules.store );
	return {
		act,
		read,
		shown,
		clicks,
		environment,
		setHidden: ( value: boolean ) => {
			hidden = value;
		},
		stop: () => stops.forEach( ( stop ) => stop() ),
	};
}

const menuCount = () =>
	document.querySelector( '.pending-count' )?.textContent ?? '';

describe( 'mention notifications', () => {
	it( 'notify of a new mention in the background, not of those listed on opening; a click opens the conversation', () => {
		const page = setUp( 'granted' );
		page.act().receiveView( 'open', '', [], {
			unassigned: 0,
			mine: 0,
			open: 0,
			closed: 0,
		} );
		page.act().receiveMentions( [ mention( 1 ) ] );
		expect( page.shown ).toEqual( [] );
		expect( menuCount() ).toBe( '1' );

		page.act().receiveMention( mention( 2 ) );
		expect( page.shown ).toEqual( [
			{
				title: 'Bob mentioned you in a note',
				options: {
					body: '<b>look</b> 2',
					tag: 'chatflows-mention-c1:2',
				},
			},
		] );
		expect( menuCount() ).toBe( '2' );
		page.clicks[ 0 ]();
		expect( page.environment.focus ).toHaveBeenCalled();
		expect( page.read().getSelectedConversationId() ).toBe( 'c1' );

		// In front: the Mentions count tells, no browser notification.
		page.setHidden( false );
		page.act().receiveMention( mention( 3 ) );
		expect( page.shown ).toHaveLength( 1 );

		page.act().markMentionsSeenLocally();
		expect( menuCount() ).toBe( '0' );
		page.stop();
	} );

	it( 'stay quiet when the browser does not allow notifications', () => {
		const page = setUp( 'denied' );
		page.act().receiveMentions( [] );
		page.act().receiveMention( mention( 1 ) );
		expect( page.shown ).toEqual( [] );
		page.stop();
	} );
} );
