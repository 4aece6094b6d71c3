/**
 * Tests of the saved reply picker in the reply box, by role: `/` opens a
 * listbox of the conversation's saved replies (the visitor's language
 * first), the arrow keys move the active option the textbox points at,
 * Enter inserts it with its variables filled (a gap, selected, for what is
 * unknown), Escape closes; several replies go into one reply; articles of
 * the chatflow's knowledge base are offered as links.
 */
import apiFetch from '@wordpress/api-fetch';
import { dispatch } from '@wordpress/data';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { SavedReply } from '../../../saved-replies/store/types';
import { savedReply as reply } from '../../../saved-replies/test/fixtures';
import { store } from '../../store';
import { conversationContext, conversationSummary } from '../../test/fixtures';
import { ReplyForm } from '../reply-form';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const SALES_INBOX = 3;

const REPLIES: SavedReply[] = [
	reply( {
		id: 1,
		name: 'Thanks',
		text: 'Thank you, {visitor_name}! {agent_name} at {site_name}.',
		language: 'en_US',
	} ),
	reply( {
		id: 2,
		name: 'Tak',
		text: 'Tak, {visitor_name}! Hilsen {agent_name} fra {site_name}.',
		language: 'da_DK',
	} ),
	reply( {
		id: 3,
		name: 'Shipping',
		shortcut: 'shipping',
		text: 'We ship with GLS. Write to us at {visitor_email}?',
		language: 'da_DK',
	} ),
	reply( {
		id: 4,
		name: 'Other inbox’s offer',
		shortcut: 'offer',
		text: 'Not for this inbox.',
		scope: 'inbox',
		inboxId: 99,
	} ),
	reply( {
		id: 5,
		name: 'Sales offer',
		shortcut: 'offer',
		text: 'Ten percent off today.',
		scope: 'inbox',
		inboxId: SALES_INBOX,
	} ),
];

const conversation = conversationSummary( {
	pageUrl: 'https://shop.example/priser/',
	visitorName: 'Mette',
} );

beforeAll( () => {
	( window as unknown as Record< string, unknown > ).chatflowsInbox = {
		siteName: 'Bolt & Co',
		chatflows: {
			7: { alias: '', inboxId: SALES_INBOX, knowledgeBase: true },
		},
	};
	( apiFetch as unknown as jest.Mock ).mockImplementation(
		async ( { path }: { path: string } ) => {
			if ( path === '/chatflows/v1/saved-replies' ) {
				return REPLIES;
			}
			if (
				path ===
				'/chatflows/v1/knowledge-base/search?chatflow=7&q=refund'
			) {
				return {
					articles: [
						{
							id: 11,
							title: 'Refund policy',
							excerpt: 'Money back within 30 days.',
							url: 'https://shop.example/refunds/',
						},
					],
				};
			}
			return { articles: [] };
		}
	);
	dispatch( store ).receiveConversations( [ conversation ] );
	dispatch( store ).receiveDirectory( {
		me: { id: '5', name: 'Alex Agent', capacity: 5, status: 'available' },
		agents: [],
		teams: [],
		inboxes: [],
	} );
	dispatch( store ).receiveContext(
		conversationContext( 'c1', {
			visitor: {
				...conversationContext( 'c1' ).visitor,
				language: 'da-dk',
			},
		} )
	);
} );

function replyBox() {
	return screen.getByRole( 'textbox', { name: 'Reply' } );
}

function renderForm() {
	const onSend = jest.fn().mockResolvedValue( null );
	render( <ReplyForm conversationId="c1" onSend={ onSend } /> );
	return onSend;
}

describe( 'the saved reply picker', () => {
	it( 'opens on /, offers the visitor’s language first, moves with the arrows and inserts with Enter, filled', async () => {
		const onSend = renderForm();
		await userEvent.type( replyBox(), '/tha' );

		const list = await screen.findByRole( 'listbox', {
			name: 'Saved replies',
		} );
		const options = within( list ).getAllByRole( 'option' );
		expect( options.map( ( option ) => option.textContent ) ).toEqual( [
			expect.stringContaining( 'Tak' ),
			expect.stringContaining( 'Thanks' ),
		] );
		expect( options[ 0 ] ).toHaveTextContent( 'Danish' );
		expect( options[ 0 ] ).toHaveAttribute( 'aria-selected', 'true' );
		expect( replyBox() ).toHaveAttribute( 'aria-controls', list.id );
		expect( replyBox() ).toHaveAttribute(
			'aria-activedescendant',
			options[ 0 ].id
		);

		await userEvent.keyboard( '{ArrowDown}' );
		expect( replyBox() ).toHaveAttribute(
			'aria-activedescendant',
			options[ 1 ].id
		);
		await userEvent.keyboard( '{ArrowDown}' );
		expect( replyBox() ).toHaveAttribute(
			'aria-activedescendant',
			options[ 0 ].id
		);

		await userEvent.keyboard( '{Enter}' );
		expect( replyBox() ).toHaveValue(
			'Tak, Mette! Hilsen Alex Agent fra Bolt & Co.'
		);
		expect( onSend ).not.toHaveBeenCalled();
		expect( screen.queryByRole( 'listbox' ) ).not.toBeInTheDocument();
		expect( replyBox() ).not.toHaveAttribute( 'aria-activedescendant' );

		await userEvent.keyboard( '{Enter}' );
		expect( onSend ).toHaveBeenCalledWith(
			'Tak, Mette! Hilsen Alex Agent fra Bolt & Co.'
		);
	} );

	it( 'puts several saved replies into one reply, and selects the gap an unknown value left', async () => {
		renderForm();
		await userEvent.type( replyBox(), 'Hello. /tak' );
		await screen.findByRole( 'listbox', { name: 'Saved replies' } );
		await userEvent.keyboard( '{Enter} /shipping' );
		expect(
			within(
				screen.getByRole( 'listbox', { name: 'Saved replies' } )
			).getAllByRole( 'option' )
		).toHaveLength( 1 );
		await userEvent.keyboard( '{Enter}' );

		const text =
			'Hello. Tak, Mette! Hilsen Alex Agent fra Bolt & Co. We ship with GLS. Write to us at ___?';
		expect( replyBox() ).toHaveValue( text );
		const box = replyBox() as HTMLTextAreaElement;
		expect( text.slice( box.selectionStart, box.selectionEnd ) ).toBe(
			'___'
		);
		expect( screen.getByRole( 'status' ) ).toHaveTextContent(
			'fill in the gaps'
		);
		// The agent types over the gap.
		await userEvent.keyboard( 'mette@example.dk' );
		expect( replyBox() ).toHaveValue(
			text.replace( '___', 'mette@example.dk' )
		);
	} );

	it( 'closes with Escape, keeping the text, and then Enter sends', async () => {
		const onSend = renderForm();
		await userEvent.type( replyBox(), '/thanks' );
		await screen.findByRole( 'listbox', { name: 'Saved replies' } );
		await userEvent.keyboard( '{Escape}' );
		expect( screen.queryByRole( 'listbox' ) ).not.toBeInTheDocument();
		expect( replyBox() ).toHaveValue( '/thanks' );
		await userEvent.keyboard( '{Enter}' );
		expect( onSend ).toHaveBeenCalledWith( '/thanks' );
	} );

	it( 'offers only the replies of the conversation’s inbox among inbox replies', async () => {
		renderForm();
		await userEvent.type( replyBox(), '/offer' );
		const list = await screen.findByRole( 'listbox', {
			name: 'Saved replies',
		} );
		expect(
			within( list )
				.getAllByRole( 'option' )
				.map( ( option ) => option.textContent )
		).toEqual( [ expect.stringContaining( 'Sales offer' ) ] );
	} );

	it( 'says so when nothing matches, and does not take Enter from sending', async () => {
		const onSend = renderForm();
		await userEvent.type( replyBox(), '/zzz' );
		expect(
			await screen.findByText( 'No saved reply matches. Escape closes.' )
		).toBeInTheDocument();
		await userEvent.keyboard( '{Enter}' );
		expect( onSend ).toHaveBeenCalledWith( '/zzz' );
	} );

	it( 'inserts a link to an article of the knowledge base, by click too', async () => {
		renderForm();
		await userEvent.type( replyBox(), 'See /refund' );
		const article = await screen.findByRole( 'option', {
			name: /Article: Refund policy/,
		} );
		await userEvent.click( article );
		expect( replyBox() ).toHaveValue(
			'See Refund policy: https://shop.example/refunds/'
		);
		await waitFor( () => expect( replyBox() ).toHaveFocus() );
	} );

	it( 'does not open for a slash inside a word', async () => {
		renderForm();
		await userEvent.type( replyBox(), 'and/or' );
		expect( screen.queryByRole( 'listbox' ) ).not.toBeInTheDocument();
	} );
} );
