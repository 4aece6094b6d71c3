/**
 * What changes from one WordPress release to another, run on WordPress 6.1 and
 * on the newest release (playwright.config.ts): the admin screens (each tab of
 * the chatflow editor), the Live chat block in the editor (an iframe where
 * WordPress makes one), the page panel, and the chat on the published page.
 * On the newest WordPress, SCRIPT_DEBUG is on and the console guard also fails
 * on warnings: deprecations and React's warnings.
 */
import type { FrameLocator, Page } from '@playwright/test';

import { expect, test } from './fixtures';
import { adminPage, rest, visitorPage } from './helpers';

test.use( { siteName: 'releases' } );
// The block editor is slow on a busy machine: a wider budget per test.
test.describe.configure( { mode: 'serial', timeout: 180_000 } );

/** What tests call in the editor page through WordPress's own scripts. */
interface EditorWindow {
	wp: {
		blocks: {
			createBlock: ( name: string ) => unknown;
		};
		data: {
			dispatch: (
				store: string
			) => Record< string, ( ...args: unknown[] ) => Promise< unknown > >;
			select: (
				store: string
			) => Record< string, ( ...args: unknown[] ) => unknown >;
		};
	};
}

/**
 * The editor's content area: the iframe where WordPress puts the content in
 * one (always from 7.0; from 6.3 when every block uses API version 3), else
 * the page itself (6.1).
 *
 * @param page The block editor.
 */
async function editorCanvas( page: Page ): Promise< Page | FrameLocator > {
	const iframe = page.locator( 'iframe[name="editor-canvas"]' );
	const title = page.locator( '.editor-post-title__input' );
	// Whichever shows first: the iframe, or the title written in the page.
	await expect( iframe.or( title ).first() ).toBeVisible();
	return ( await iframe.count() )
		? page.frameLocator( 'iframe[name="editor-canvas"]' )
		: page;
}

/**
 * Saves the post (publishing it the first time) through the editor's store, the same on every release,
 * and waits for the save to end.
 *
 * @param page The block editor.
 */
async function savePost( page: Page ) {
	await page.evaluate( async () => {
		const { data } = ( window as unknown as EditorWindow ).wp;
		await data.dispatch( 'core/editor' ).editPost( { status: 'publish' } );
		await data.dispatch( 'core/editor' ).savePost();
	} );
	await expect
		.poll( () =>
			page.evaluate( () => {
				const editor = (
					window as unknown as EditorWindow
				 ).wp.data.select( 'core/editor' );
				return (
					! editor.isSavingPost() &&
					! editor.isEditedPostDirty() &&
					editor.getCurrentPostAttribute( 'status' )
				);
			} )
		)
		.toBe( 'publish' );
}

test( 'the admin screens: the chatflow list and every tab of the editor, the teams, the inbox', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await expect(
		admin.getByRole( 'heading', { name: 'Chatflows', level: 1 } )
	).toBeVisible();
	await admin.getByRole( 'link', { name: 'Edit Website chat' } ).click();
	await expect(
		admin.getByRole( 'heading', { name: 'Edit chatflow: Website chat' } )
	).toBeVisible();
	for ( const tab of [
		'Target',
		'Display',
		'Knowledge base',
		'Options',
		'Build',
	] ) {
		await admin.getByRole( 'tab', { name: tab } ).click();
		await expect( admin.getByRole( 'tab', { name: tab } ) ).toHaveAttribute(
			'aria-selected',
			'true'
		);
	}

	await admin.goto( '/wp-admin/admin.php?page=chatflows-teams' );
	await expect(
		admin.getByRole( 'row', { name: /Sales/ } ).first()
	).toContainText( 'Alex Agent' );
	await admin.getByRole( 'button', { name: 'Add team' } ).click();
	await expect(
		admin
			.getByRole( 'dialog', { name: 'Add team' } )
			.getByLabel( 'Team name', { exact: true } )
	).toBeVisible();

	await admin.goto( '/wp-admin/admin.php?page=chatflows-inbox' );
	await expect( admin.getByText( 'You are available.' ) ).toBeVisible();
	await expect(
		admin
			.getByRole( 'searchbox' )
			.or( admin.getByRole( 'textbox' ) )
			.first()
	).toBeVisible();
} );

test( 'the Live chat block in the editor and the page panel: the visitor chats inline, then “never” leaves no chat', async ( {
	browser,
	stack,
	consoleErrors,
	wordpressRelease,
} ) => {
	const admin = await adminPage(
		browser,
		stack,
		consoleErrors,
		'/wp-admin/post-new.php?post_type=page'
	);
	const canvas = await editorCanvas( admin );
	if ( wordpressRelease === 'newest' ) {
		// Every block there, this one too, uses block API version 3: the editor puts the content in an iframe.
		await expect(
			admin.locator( 'iframe[name="editor-canvas"]' )
		).toHaveCount( 1 );
	}

	// The block, inserted through the editor's store: the inserter's looks change from release to release.
	await admin.evaluate( async () => {
		const { blocks, data } = ( window as unknown as EditorWindow ).wp;
		await data
			.dispatch( 'core/editor' )
			.editPost( { title: 'Talk to us' } );
		await data
			.dispatch( 'core/block-editor' )
			.insertBlocks( blocks.createBlock( 'chatflows/live-chat' ) );
	} );
	const block = canvas.locator( '[data-type="chatflows/live-chat"]' );
	await block
		.getByRole( 'combobox', { name: 'Chatflow' } )
		.selectOption( { label: 'Website chat' } );
	// The preview, in the chatflow's own words, and the block's editor style applied in the canvas.
	const preview = block.locator( '.chatflows-block-preview' );
	await expect(
		preview.getByText( 'Hi! Questions about our plans? Ask us here.' )
	).toBeVisible();
	expect(
		await preview.evaluate(
			( element ) => getComputedStyle( element ).borderTopStyle
		)
	).not.toBe( 'none' );
	await savePost( admin );
	const url = String(
		await admin.evaluate( () =>
			( window as unknown as EditorWindow ).wp.data
				.select( 'core/editor' )
				.getPermalink()
		)
	);

	const visitor = await visitorPage( browser, stack, consoleErrors, url );
	const inline = visitor.locator( '.chatflows-inline' );
	await expect( inline ).toHaveCount( 1 );
	// The chat window, in the block's place, with the chatflow's welcome (nobody is available: no live chat).
	await expect(
		inline.getByText( 'Hi! Questions about our plans? Ask us here.' )
	).toBeVisible();
	await expect(
		inline.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();

	// The page panel, in the document's settings: "Never show chat".
	await admin.evaluate( () =>
		( window as unknown as EditorWindow ).wp.data
			.dispatch( 'core/block-editor' )
			.clearSelectedBlock()
	);
	const settingsToggle = admin
		.getByRole( 'region', { name: 'Editor top bar' } )
		.getByRole( 'button', { name: 'Settings', exact: true } );
	if ( ( await settingsToggle.getAttribute( 'aria-pressed' ) ) !== 'true' ) {
		await settingsToggle.click();
	}
	const settings = admin.getByRole( 'region', { name: 'Editor settings' } );
	// A tab from 6.5 on, a button before.
	await settings
		.getByRole( 'tab', { name: 'Page' } )
		.or( settings.getByRole( 'button', { name: /^Page/ } ) )
		.first()
		.click();
	const panelToggle = settings.getByRole( 'button', {
		name: 'Chat on this page',
	} );
	if ( ( await panelToggle.getAttribute( 'aria-expanded' ) ) !== 'true' ) {
		await panelToggle.click();
	}
	await settings.getByLabel( 'Never show chat' ).check();
	await savePost( admin );
	const page = await rest< { meta: Record< string, unknown > } >( admin, {
		path: `/wp/v2/pages/${ await admin.evaluate( () =>
			( window as unknown as EditorWindow ).wp.data
				.select( 'core/editor' )
				.getCurrentPostId()
		) }?context=edit`,
	} );
	expect( page.meta._chatflows_no_chat ).toBe( true );

	await visitor.reload();
	await expect(
		visitor.getByRole( 'heading', { name: 'Talk to us' } )
	).toBeVisible();
	await expect( visitor.locator( '.chatflows-inline' ) ).toHaveCount( 0 );
	await expect( visitor.locator( '#chatflows-widget' ) ).toHaveCount( 0 );
} );
