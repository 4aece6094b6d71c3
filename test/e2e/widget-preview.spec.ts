/**
 * The chatflow editor's preview shows the chat window as visitors get it:
 * the welcome message and every labelled control of the window, with the
 * texts WordPress prints on the site.
 */
import { expect, test } from './fixtures';
import { adminPage } from './helpers';

const WELCOME = 'Hi! Questions about our plans? Ask us here.';

test( 'the preview shows the welcome message and the window’s labelled controls', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await admin.getByRole( 'link', { name: 'Edit Website chat' } ).click();
	await expect(
		admin.getByRole( 'heading', { name: 'Edit chatflow: Website chat' } )
	).toBeVisible();
	await expect( admin.getByLabel( 'Name', { exact: true } ) ).toHaveValue(
		'Website chat'
	);
	await admin.getByRole( 'button', { name: 'Preview', exact: true } ).click();
	const modal = admin.getByRole( 'dialog', { name: 'Preview' } );

	// Desktops pop the welcome message by default: the window is open.
	const desktop = admin.frameLocator( 'iframe[title="Preview on desktop"]' );
	const dialog = desktop.getByRole( 'dialog' );
	await expect( dialog.getByText( WELCOME, { exact: true } ) ).toBeVisible();
	await expect(
		dialog.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();
	await expect(
		dialog.getByRole( 'button', { name: 'Send', exact: true } )
	).toBeVisible();
	await expect(
		dialog.getByRole( 'button', { name: 'Close chat' } )
	).toBeVisible();
	// Only shown when the window has its own texts.
	const sound = dialog.getByRole( 'button', {
		name: 'Sound on new messages',
	} );
	await expect( sound ).toHaveAttribute( 'aria-pressed', 'false' );
	await sound.click();
	await expect( sound ).toHaveAttribute( 'aria-pressed', 'true' );

	// The preview stays off the service: what is typed stays in the window.
	await dialog
		.getByRole( 'textbox', { name: 'Message' } )
		.fill( 'Does the preview work?' );
	await dialog.getByRole( 'button', { name: 'Send', exact: true } ).click();
	await expect(
		dialog.getByRole( 'log', { name: 'Messages' } )
	).toContainText( 'Does the preview work?' );
	// The window's focus inside the frame leaves the preview open.
	await expect( modal ).toBeVisible();
	await modal.getByRole( 'button', { name: 'Close' } ).click();
	await expect( modal ).toBeHidden();
} );
