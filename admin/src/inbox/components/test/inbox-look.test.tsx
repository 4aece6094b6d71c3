/**
 * What the inbox shows while it has nothing to show: placeholders while the
 * list, the messages or the visitor's details load (announced, never a blank
 * area), empty states that say what comes next, initials beside each visitor;
 * and the ticket's values named in words.
 */
import { dispatch } from '@wordpress/data';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type {
	ConversationSummary,
	InboxCounts,
	TicketDetails,
} from '@chatflows/protocol';
import type { InboxConnection } from '../../connection';
import { store } from '../../store';
import { initialsOf } from '../avatar';
import { ContextPanel } from '../context-panel';
import { ConversationList } from '../conversation-list';
import { ConversationView } from '../conversation-view';
import { TicketForm } from '../ticket-form';

const user = userEvent.setup( { delay: null } );

const NONE: InboxCounts = { unassigned: 0, mine: 0, open: 0, closed: 0 };

function conversation(
	overrides: Partial< ConversationSummary > = {}
): ConversationSummary {
	return {
		id: 'c1',
		chatflowId: '7',
		status: 'open',
		createdAt: '2026-12-07T09:00:00.000Z',
		visitorId: 'v1',
		assigneeId: null,
		pageUrl: 'https://shop.example/pricing/',
		updatedAt: '2026-12-07T09:00:00.000Z',
		lastMessage: null,
		visitorName: 'Jane Doe',
		...overrides,
	} as ConversationSummary;
}

function list( showView = jest.fn() ) {
	render(
		<ConversationList
			showView={ showView }
			search={ jest.fn() }
			showInbox={ jest.fn() }
		/>
	);
	return showView;
}

describe( 'the list of conversations', () => {
	it( 'shows placeholders, announced as loading, until the service lists the view', () => {
		list();
		const navigation = screen.getByRole( 'navigation', {
			name: 'Conversations',
		} );
		expect( within( navigation ).getByRole( 'status' ) ).toHaveTextContent(
			'Loading conversations…'
		);
		expect(
			within( navigation ).queryByRole( 'list' )
		).not.toBeInTheDocument();
	} );

	it( 'says what comes next when there are no conversations at all', () => {
		dispatch( store ).receiveView( 'open', '', [], NONE );
		list();
		expect( screen.getByText( 'No conversations yet.' ) ).toBeVisible();
		expect(
			screen.getByText( /When a visitor starts a chat on your site/ )
		).toBeVisible();
		expect( screen.queryByRole( 'status' ) ).not.toBeInTheDocument();
	} );

	it( 'offers the open conversations from an empty view', async () => {
		dispatch( store ).setView( 'mine' );
		dispatch( store ).receiveView( 'mine', '', [], {
			...NONE,
			unassigned: 2,
			open: 2,
		} );
		const showView = list();
		expect( screen.getByText( 'No conversations here.' ) ).toBeVisible();
		await user.click(
			screen.getByRole( 'button', {
				name: 'Show all open conversations',
			} )
		);
		expect( showView ).toHaveBeenCalledWith( 'open' );
	} );

	it( 'shows each visitor with their initials beside the name', () => {
		dispatch( store ).setView( 'open' );
		dispatch( store ).receiveView( 'open', '', [ conversation() ], {
			...NONE,
			unassigned: 1,
			open: 1,
		} );
		list();
		const item = screen.getByRole( 'button', { name: /Jane Doe/ } );
		// Decorative: the name is written beside it.
		expect(
			item.querySelector( '[aria-hidden="true"]' )
		).toHaveTextContent( 'JD' );
	} );
} );

describe( 'initials', () => {
	it.each( [
		[ 'Jane Doe', 'JD' ],
		[ 'jane.doe@example.com', 'JD' ],
		[ 'Visitor a407be', 'V' ],
		[ 'Søren Ørsted Kierkegaard', 'SØ' ],
		[ '', '?' ],
		[ '1234', '1' ],
	] )( '%s → %s', ( name, initials ) => {
		expect( initialsOf( name ) ).toBe( initials );
	} );
} );

describe( 'an open conversation', () => {
	const connection = {
		loadMessages: jest.fn( () => Promise.resolve() ),
		loadContext: jest.fn( () => Promise.resolve() ),
		notes: { load: jest.fn( () => Promise.resolve() ) },
		markRead: jest.fn( () => Promise.resolve() ),
	} as unknown as InboxConnection;

	it( 'shows placeholders while its messages and the visitor’s details load', () => {
		dispatch( store ).receiveConversations( [
			conversation( { id: 'loading' } ),
		] );
		render(
			<>
				<ConversationView
					conversationId="loading"
					connection={ connection }
				/>
				<ContextPanel
					conversationId="loading"
					connection={ connection }
				/>
			</>
		);
		const statuses = screen
			.getAllByRole( 'status' )
			.map( ( status ) => status.textContent );
		expect( statuses ).toEqual(
			expect.arrayContaining( [
				'Loading messages…',
				'Loading the visitor’s details…',
			] )
		);
		expect(
			screen.getByRole( 'heading', { name: 'Jane Doe' } )
		).toBeVisible();
	} );
} );

describe( 'the ticket', () => {
	const ticket = {
		id: 't1',
		pipeline: 'support',
		status: 'new',
		priority: 'medium',
		category: '',
		state: 'open',
		offline: false,
	} as TicketDetails;

	it( 'names the pipeline and the status in words, and takes a value of one’s own', async () => {
		const onSave = jest.fn( () => Promise.resolve( null ) );
		render( <TicketForm ticket={ ticket } onSave={ onSave } /> );
		const pipeline = screen.getByRole( 'combobox', { name: 'Pipeline' } );
		expect( pipeline ).toHaveDisplayValue( 'Support pipeline' );
		expect(
			screen.getByRole( 'combobox', { name: 'Ticket status' } )
		).toHaveDisplayValue( 'New' );
		expect(
			screen.queryByRole( 'textbox', { name: 'Pipeline name' } )
		).not.toBeInTheDocument();

		await user.selectOptions( pipeline, 'Other…' );
		const own = screen.getByRole( 'textbox', { name: 'Pipeline name' } );
		await user.clear( own );
		await user.type( own, 'billing' );
		await user.selectOptions(
			screen.getByRole( 'combobox', { name: 'Ticket status' } ),
			'Waiting on us'
		);
		await user.click(
			screen.getByRole( 'button', { name: 'Save ticket' } )
		);
		expect( onSave ).toHaveBeenCalledWith( {
			pipeline: 'billing',
			status: 'waiting_on_us',
		} );
	} );
} );
