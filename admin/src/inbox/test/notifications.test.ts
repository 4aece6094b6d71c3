/**
 * The notifier: a new or waiting conversation while the inbox is in the
 * background shows in the title and, when allowed, as a browser notification.
 */
import type { ConversationSummary, InboxDirectory } from '@chatflows/protocol';

const DIRECTORY: InboxDirectory = {
	me: { id: '7', name: 'Ann', capacity: 3, status: 'available' },
	agents: [],
	teams: [],
	inboxes: [],
};

const COUNTS = { unassigned: 1, mine: 0, open: 1, closed: 0 };

function conversation(
	id: string,
	overrides: Partial< ConversationSummary > = {}
): ConversationSummary {
	return {
		id,
		chatflowId: '1',
		status: 'open',
		createdAt: 'T',
		updatedAt: 'T',
		visitorId: `visitor-${ id }`,
		pageUrl: '',
		assigneeId: null,
		lastMessage: {
			conversationId: id,
			seq: 1,
			clientId: 'c',
			authorType: 'visitor',
			authorName: '',
			body: '<img src=x onerror=alert(1)>',
			createdAt: 'T',
		},
		waitingSince: 'T',
		visitorEmail: null,
		visitorName: '<b>Eve</b>',
		...overrides,
	};
}

function setUp( permission: NotificationPermission ) {
	let modules: any;
	jest.isolateModules( () => {
		modules = {
			notifications: require( '../notifications' ),
			data: require( '@wordpress/data' ),
			store: require( '../store' ).store,
		};
	} );
	document.title = 'Inbox ‹ Site';
	document.body.innerHTML =
		'<a><span class="awaiting-mod chatflows-waiting-count count-0"><span class="pending-count">0</span><span class="screen-reader-text"></span></span></a>';
	let hidden = false;
	const visibility: Array< () => void > = [];
	const shown: Array< { title: string; options?: NotificationOptions } > = [];
	const focused = jest.fn();
	class FakeNotification {
		static permission = permission;

		static requestPermission = jest.fn( async () => 'granted' as const );

		onclick: ( ( event: Event ) => void ) | null = null;

		close = jest.fn();

		constructor( title: string, options?: NotificationOptions ) {
			shown.push( { title, options } );
			notifications.push( this );
		}
	}
	const notifications: FakeNotification[] = [];
	const environment = {
		document: {
			get title() {
				return document.title;
			},
			set title( value: string ) {
				document.title = value;
			},
			get hidden() {
				return hidden;
			},
			addEventListener: ( _name: string, listener: () => void ) =>
				visibility.push( listener ),
			removeEventListener: () => undefined,
			querySelectorAll: document.querySelectorAll.bind( document ),
		},
		Notification: FakeNotification,
		focus: focused,
	};
	const stop = modules.notifications.startNotifier( environment );
	const act = () => modules.data.dispatch( modules.store );
	const read = () => modules.data.select( modules.store );
	act().receiveDirectory( DIRECTORY );
	const setHidden = ( value: boolean ) => {
		hidden = value;
		visibility.forEach( ( listener ) => listener() );
	};
	return {
		act,
		read,
		shown,
		notifications,
		setHidden,
		stop,
		focused,
		environment,
		FakeNotification,
		modules,
	};
}

describe( 'notifier', () => {
	it( 'counts new waiting conversations in the title and notifies, while in the background', () => {
		const { act, read, shown, notifications, setHidden, focused, stop } =
			setUp( 'granted' );
		// What waits when the inbox opens is not news.
		act().receiveView( 'open', '', [ conversation( 'old' ) ], COUNTS );
		setHidden( true );
		act().receiveView(
			'open',
			'',
			[ conversation( 'old' ), conversation( 'new' ) ],
			COUNTS
		);
		expect( document.title ).toBe( '(1) Inbox ‹ Site' );
		expect( shown ).toEqual( [
			{
				title: 'A visitor is waiting: <b>Eve</b>',
				options: {
					body: '<img src=x onerror=alert(1)>',
					tag: 'chatflows-new',
				},
			},
		] );
		// The menu's count follows.
		expect(
			document.querySelector( '.chatflows-waiting-count .pending-count' )
				?.textContent
		).toBe( '2' );

		// Clicking the notification brings the conversation up.
		notifications[ 0 ].onclick?.( new Event( 'click' ) );
		expect( focused ).toHaveBeenCalled();
		expect( read().getSelectedConversationId() ).toBe( 'new' );

		setHidden( false );
		expect( document.title ).toBe( 'Inbox ‹ Site' );
		stop();
	} );

	it( 'only changes the title when the agent did not allow notifications, and nothing while visible', () => {
		const { act, shown, setHidden } = setUp( 'default' );
		act().receiveView( 'open', '', [], COUNTS );
		act().receiveView( 'open', '', [ conversation( 'a' ) ], COUNTS );
		expect( document.title ).toBe( 'Inbox ‹ Site' );
		setHidden( true );
		act().receiveView(
			'open',
			'',
			[ conversation( 'a' ), conversation( 'b' ) ],
			COUNTS
		);
		expect( document.title ).toBe( '(1) Inbox ‹ Site' );
		expect( shown ).toEqual( [] );
	} );

	it( 'notifies again when a visitor writes after the agent answered', () => {
		const { act, shown, setHidden } = setUp( 'granted' );
		act().receiveView(
			'open',
			'',
			[ conversation( 'a', { assigneeId: '7', waitingSince: null } ) ],
			COUNTS
		);
		setHidden( true );
		act().receiveConversations( [
			conversation( 'a', {
				assigneeId: '7',
				waitingSince: undefined,
				lastMessage: {
					conversationId: 'a',
					seq: 5,
					clientId: 'v5',
					authorType: 'visitor',
					authorName: '',
					body: 'Still there?',
					createdAt: 'T5',
				},
			} ),
		] );
		expect( shown.map( ( each ) => each.options?.body ) ).toEqual( [
			'Still there?',
		] );
	} );

	it( 'asks the browser’s permission only when asked to, and remembers the answer', async () => {
		const { read, FakeNotification, environment, modules } =
			setUp( 'default' );
		expect( FakeNotification.requestPermission ).not.toHaveBeenCalled();
		expect( read().getNotificationPermission() ).toBe( 'default' );
		await modules.notifications.requestNotificationPermission(
			environment
		);
		expect( FakeNotification.requestPermission ).toHaveBeenCalledTimes( 1 );
		expect( read().getNotificationPermission() ).toBe( 'granted' );
	} );

	it( 'names a visitor by name, else e-mail, else a short id', () => {
		const { modules } = setUp( 'default' );
		const { visitorLabel } = modules.notifications;
		expect( visitorLabel( conversation( 'a' ) ) ).toBe( '<b>Eve</b>' );
		expect(
			visitorLabel(
				conversation( 'a', {
					visitorName: null,
					visitorEmail: 'e@example.com',
				} )
			)
		).toBe( 'e@example.com' );
		expect(
			visitorLabel(
				conversation( 'a', {
					visitorName: null,
					visitorId: 'abcdef123',
				} )
			)
		).toBe( 'Visitor abcdef' );
	} );
} );
