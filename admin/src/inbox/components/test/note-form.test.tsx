/**
 * Tests of the note box and its `@` mention picker, and of how a note and
 * "someone else is replying" show in the inbox.
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { InternalNote } from '@chatflows/protocol';
import { NoteForm, mentionsIn } from '../note-form';
import { matchingCandidates, mentionQueryAt } from '../mention-picker';
import { NoteItem, timelineOf, writingLabel } from '../notes';

const CANDIDATES = [
	{ type: 'agent' as const, id: '8', name: 'Bob Builder' },
	{ type: 'agent' as const, id: '9', name: 'Cleo' },
	{ type: 'team' as const, id: 't1', name: 'Billing team' },
];

describe( 'the mention picker’s rules', () => {
	it( 'finds the @query before the caret, not inside an e-mail address', () => {
		expect( mentionQueryAt( 'Hi @bo', 6 ) ).toEqual( {
			query: 'bo',
			start: 3,
		} );
		expect( mentionQueryAt( '@', 1 ) ).toEqual( { query: '', start: 0 } );
		expect( mentionQueryAt( 'ann@example', 11 ) ).toBeNull();
		expect( mentionQueryAt( 'Hi @bob done', 12 ) ).toBeNull();
	} );

	it( 'matches any word of a name, agents and teams alike', () => {
		expect(
			matchingCandidates( CANDIDATES, 'b' ).map( ( c ) => c.id )
		).toEqual( [ '8', 't1' ] );
		expect(
			matchingCandidates( CANDIDATES, 'build' ).map( ( c ) => c.id )
		).toEqual( [ '8' ] );
	} );

	it( 'keeps only the mentions still named in the text', () => {
		expect(
			mentionsIn( 'Ask @Cleo', [ CANDIDATES[ 0 ], CANDIDATES[ 1 ] ] )
		).toEqual( [ { type: 'agent', id: '9' } ] );
	} );
} );

describe( 'NoteForm', () => {
	it( 'picks a mention from the keyboard and sends the note with it', async () => {
		const onSend = jest.fn().mockResolvedValue( null );
		render( <NoteForm candidates={ CANDIDATES } onSend={ onSend } /> );
		const box = screen.getByRole( 'textbox', { name: 'Internal note' } );

		await userEvent.type( box, 'Please check @b' );
		const options = screen.getAllByRole( 'option' );
		expect( options.map( ( option ) => option.textContent ) ).toEqual( [
			'Bob BuilderAgent',
			'Billing teamTeam',
		] );
		await userEvent.keyboard( '{ArrowDown}{Enter}' );
		expect( box ).toHaveValue( 'Please check @Billing team ' );
		expect( screen.queryByRole( 'listbox' ) ).not.toBeInTheDocument();

		await userEvent.type( box, 'and @cl{Tab}{Enter}' );
		expect( onSend ).toHaveBeenCalledWith(
			'Please check @Billing team and @Cleo',
			[
				{ type: 'team', id: 't1' },
				{ type: 'agent', id: '9' },
			]
		);
		await waitFor( () => expect( box ).toHaveValue( '' ) );
	} );

	it( 'closes the picker with Escape and keeps the text and the error when refused', async () => {
		const onSend = jest
			.fn()
			.mockResolvedValue( 'mentions: Cleo cannot see this conversation' );
		render( <NoteForm candidates={ CANDIDATES } onSend={ onSend } /> );
		const box = screen.getByRole( 'textbox', { name: 'Internal note' } );
		await userEvent.type( box, '@x' );
		expect(
			screen.getByText( 'No agent or team by that name.' )
		).toBeInTheDocument();
		await userEvent.keyboard( '{Escape}' );
		expect(
			screen.queryByText( 'No agent or team by that name.' )
		).not.toBeInTheDocument();
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Add note' } )
		);
		expect( onSend ).toHaveBeenCalledWith( '@x', [] );
		expect(
			await screen.findByText(
				'mentions: Cleo cannot see this conversation',
				{ selector: '.components-notice__content' }
			)
		).toBeInTheDocument();
		expect( box ).toHaveValue( '@x' );
	} );
} );

describe( 'notes among the messages', () => {
	const note: InternalNote = {
		conversationId: 'c1',
		seq: 1,
		clientId: 'n1',
		authorId: '7',
		authorName: 'Alice',
		body: '<b>not markup</b> @Bob Builder look',
		mentions: [ { type: 'agent', id: '8', name: 'Bob Builder' } ],
		createdAt: '2026-01-01T00:00:02.000Z',
	};

	it( 'shows a note as the team’s, its mention set apart, its text as text', () => {
		render(
			<ol>
				<NoteItem note={ note } />
			</ol>
		);
		expect(
			screen.getByText( 'Internal note by Alice' )
		).toBeInTheDocument();
		expect( screen.getByText( '@Bob Builder' ).tagName ).toBe( 'STRONG' );
		expect( screen.getByRole( 'listitem' ) ).toHaveClass( 'is-note' );
		expect(
			screen.getByRole( 'listitem' ).querySelector( 'b' )
		).toBeNull();
	} );

	it( 'places notes between the messages by time', () => {
		const message = ( seq: number, second: number ) => ( {
			conversationId: 'c1',
			seq,
			clientId: `m${ seq }`,
			authorType: 'visitor' as const,
			authorName: '',
			body: `m${ seq }`,
			createdAt: `2026-01-01T00:00:0${ second }.000Z`,
		} );
		expect(
			timelineOf( [ message( 1, 1 ), message( 2, 3 ) ], [ note ] ).map(
				( item ) => item.kind
			)
		).toEqual( [ 'message', 'note', 'message' ] );
	} );

	it( 'says who else is replying or writing a note', () => {
		const base = {
			conversationId: 'c1',
			agentId: '8',
			agentName: 'Bob',
			typing: true,
		};
		expect( writingLabel( { ...base, mode: 'reply' } ) ).toBe(
			'Bob is replying…'
		);
		expect( writingLabel( { ...base, mode: 'note' } ) ).toBe(
			'Bob is writing a note…'
		);
	} );
} );
