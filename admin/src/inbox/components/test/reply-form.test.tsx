/**
 * Tests of the reply box.
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ReplyForm } from '../reply-form';

describe( 'ReplyForm', () => {
	it( 'sends with Enter and clears the box', async () => {
		const onSend = jest.fn().mockResolvedValue( null );
		render( <ReplyForm onSend={ onSend } /> );
		const reply = screen.getByRole( 'textbox', { name: 'Reply' } );

		await userEvent.type( reply, 'Hello there{Enter}' );

		expect( onSend ).toHaveBeenCalledWith( 'Hello there' );
		await waitFor( () => expect( reply ).toHaveValue( '' ) );
	} );

	it( 'breaks the line with Shift+Enter instead of sending', async () => {
		const onSend = jest.fn().mockResolvedValue( null );
		render( <ReplyForm onSend={ onSend } /> );
		const reply = screen.getByRole( 'textbox', { name: 'Reply' } );

		await userEvent.type(
			reply,
			'Line one{Shift>}{Enter}{/Shift}Line two'
		);

		expect( onSend ).not.toHaveBeenCalled();
		expect( reply ).toHaveValue( 'Line one\nLine two' );
	} );

	it( 'keeps the text and shows the error when the service refuses', async () => {
		const onSend = jest
			.fn()
			.mockResolvedValue( 'The message is too long.' );
		render( <ReplyForm onSend={ onSend } /> );

		await userEvent.type(
			screen.getByRole( 'textbox', { name: 'Reply' } ),
			'Hi'
		);
		await userEvent.click( screen.getByRole( 'button', { name: 'Send' } ) );

		expect(
			await screen.findByText( 'The message is too long.', {
				selector: '.components-notice__content',
			} )
		).toBeInTheDocument();
		expect( screen.getByRole( 'textbox', { name: 'Reply' } ) ).toHaveValue(
			'Hi'
		);
	} );

	it( 'does not send an empty reply', async () => {
		const onSend = jest.fn().mockResolvedValue( null );
		render( <ReplyForm onSend={ onSend } /> );
		await userEvent.type(
			screen.getByRole( 'textbox', { name: 'Reply' } ),
			'   {Enter}'
		);
		expect( onSend ).not.toHaveBeenCalled();
	} );
} );
