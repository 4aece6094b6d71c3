/**
 * Attachments and the knowledge-base tab, end to end in Chromium against the
 * real WordPress and the real chat service: a visitor sends an image that
 * both they and the agent in the wp-admin inbox see, a renamed executable
 * and an oversized file are refused, the site's `disableAttachment` hides
 * the button, and the knowledge base is searched and an article opened, by
 * keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';

import {
	expect,
	loggedInPage,
	test,
	type ConsoleErrors,
	type Stack,
} from './fixtures';
import {
	LAUNCHER_ONLY,
	publishChatflow,
	publishPageFor,
	rest,
} from './helpers';

// This spec creates chatflows and posts: a site of its own.
test.use( { siteName: 'widget-attachments' } );
test.describe.configure( { mode: 'serial' } );

/** A real 1×1 PNG image. */
const PIXEL_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);

/** A small PDF document. */
const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

/** The start of a Linux executable. */
const ELF = Buffer.concat( [
	Buffer.from( [ 0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0 ] ),
	Buffer.alloc( 256 ),
] );

/** Texts WordPress prints for the widget (English, the site's language). */
const TEXTS = {
	attach: 'Attach a file',
	wrongType: 'Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent.',
	tooLarge: 'This file is too large. Files can be at most 1 MB.',
	tab: 'Help',
	searchLabel: 'Search help articles',
};

/**
 * Publishes a chatflow with a knowledge base over posts and files up to
 * 1 MB, a page that chooses it, and a help article.
 *
 * @param browser Browser.
 * @param stack   Stack.
 * @return The page's path and the article's title and address.
 */
async function setUpSite( browser: Browser, stack: Stack ) {
	const admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( '/wp-admin/admin.php?page=chatflows-chatflows' );
	const chatflowId = await publishChatflow( admin, 'Help desk', {
		displayBehaviour: LAUNCHER_ONLY,
		knowledgeBase: {
			enabled: true,
			sourceType: 'post_type',
			categoryId: 0,
			postType: 'post',
		},
		// Open whoever is connected, so the composer shows.
		availability: { mode: 'always', timeZone: 'UTC', hours: [] },
		options: { attachments: { enabled: true, maxSizeMb: 1 } },
	} );
	const url = await publishPageFor( admin, 'Support', chatflowId );
	const article = await rest< { link: string } >( admin, {
		path: '/wp/v2/posts',
		method: 'POST',
		data: {
			title: 'Refund policy',
			status: 'publish',
			content:
				'<!-- wp:paragraph --><p>Ask for a refund within 30 days of buying.</p><!-- /wp:paragraph -->',
		},
	} );
	await admin.context().close();
	return {
		url,
		articleUrl: article.link,
	};
}

let site: { url: string; articleUrl: string };

async function visitorPage(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	settings?: Record< string, unknown >
): Promise< Page > {
	const context = await browser.newContext( { baseURL: stack.wpUrl } );
	const page = consoleErrors.watch( await context.newPage() );
	if ( settings ) {
		// What a site's own code sets before the loader runs.
		await page.addInitScript( ( value ) => {
			(
				window as unknown as { chatflowsSettings: unknown }
			 ).chatflowsSettings = value;
		}, settings );
	}
	await page.goto( site.url );
	await page.getByRole( 'button', { name: 'Open chat' } ).click();
	await expect( page.getByRole( 'dialog' ) ).toBeVisible();
	// Connected: the session exists, so files can be sent.
	await expect( page.getByText( 'Connecting…' ) ).toHaveCount( 0 );
	return page;
}

/**
 * No accessibility violations in the widget (axe).
 *
 * @param page The visitor's page.
 */
async function expectAccessible( page: Page ) {
	const results = await new AxeBuilder( { page } )
		.include( '#chatflows-widget' )
		.analyze();
	expect( results.violations ).toEqual( [] );
}

async function attach(
	page: Page,
	file: { name: string; mimeType: string; buffer: Buffer }
) {
	const chooser = page.waitForEvent( 'filechooser' );
	await page.getByRole( 'button', { name: TEXTS.attach } ).click();
	await ( await chooser ).setFiles( file );
}

test.beforeAll( async ( { browser, stack } ) => {
	site = await setUpSite( browser, stack );
} );

test( 'a visitor sends an image; they and the agent in the inbox both see it', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage( browser, stack, consoleErrors );
	await attach( visitor, {
		name: 'pixel.png',
		mimeType: 'image/png',
		buffer: PIXEL_PNG,
	} );

	const visitorImage = visitor
		.getByRole( 'log', { name: 'Messages' } )
		.getByRole( 'img', { name: 'Image: pixel.png' } );
	await expect( visitorImage ).toBeVisible();
	// Really decoded from the bytes sent, through a local object URL.
	await expect
		.poll( () =>
			visitorImage.evaluate(
				( img ) => ( img as HTMLImageElement ).naturalWidth
			)
		)
		.toBe( 1 );
	await expect( visitorImage ).toHaveAttribute( 'src', /^blob:/ );
	await expectAccessible( visitor );

	const agent = consoleErrors.watch(
		await loggedInPage( browser, stack, 'agent' )
	);
	await agent.goto( '/wp-admin/admin.php?page=chatflows-inbox' );
	await agent
		.getByRole( 'navigation', { name: 'Conversations' } )
		.getByRole( 'button', { name: /pixel\.png/ } )
		.click();
	const agentImage = agent
		.getByRole( 'log', { name: 'Messages' } )
		.getByRole( 'img', { name: 'Image: pixel.png' } );
	await expect( agentImage ).toBeVisible();
	await expect
		.poll( () =>
			agentImage.evaluate(
				( img ) => ( img as HTMLImageElement ).naturalWidth
			)
		)
		.toBe( 1 );
	await agent.context().close();
	await visitor.context().close();
} );

test( 'a PDF is a download link on both sides, saved under its name', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage( browser, stack, consoleErrors );
	await attach( visitor, {
		name: 'invoice.pdf',
		mimeType: 'application/pdf',
		buffer: PDF,
	} );
	const name = /^Download invoice\.pdf \(PDF, \d+ B\)$/;
	const visitorLink = visitor
		.getByRole( 'log', { name: 'Messages' } )
		.getByRole( 'link', { name } );
	await expect( visitorLink ).toBeVisible();
	const visitorDownload = visitor.waitForEvent( 'download' );
	await visitorLink.click();
	expect( ( await visitorDownload ).suggestedFilename() ).toBe(
		'invoice.pdf'
	);

	const agent = consoleErrors.watch(
		await loggedInPage( browser, stack, 'agent' )
	);
	await agent.goto( '/wp-admin/admin.php?page=chatflows-inbox' );
	await agent
		.getByRole( 'navigation', { name: 'Conversations' } )
		.getByRole( 'button', { name: /invoice\.pdf/ } )
		.click();
	const agentLink = agent
		.getByRole( 'log', { name: 'Messages' } )
		.getByRole( 'link', { name } );
	await expect( agentLink ).toBeVisible();
	const agentDownload = agent.waitForEvent( 'download' );
	await agentLink.click();
	const saved = await agentDownload;
	expect( saved.suggestedFilename() ).toBe( 'invoice.pdf' );
	const content = await saved.createReadStream();
	const chunks: Buffer[] = [];
	for await ( const chunk of content ) {
		chunks.push( chunk as Buffer );
	}
	expect( Buffer.concat( chunks ).equals( PDF ) ).toBe( true );
	await agent.context().close();
	await visitor.context().close();
} );

test( 'a renamed executable and an oversized file are refused with a clear message', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage( browser, stack, consoleErrors );
	const log = visitor.getByRole( 'log', { name: 'Messages' } );

	// Named and typed as an image: the service reads the content and refuses it.
	await attach( visitor, {
		name: 'cute-cat.png',
		mimeType: 'image/png',
		buffer: ELF,
	} );
	await expect( visitor.getByRole( 'alert' ) ).toHaveText( TEXTS.wrongType );
	await expect( log ).not.toContainText( 'cute-cat.png' );
	// The browser notes the service's 415 answer in the console.
	consoleErrors.forget( /415/ );

	const big = Buffer.alloc( 1024 * 1024 + 1 );
	PIXEL_PNG.copy( big );
	await attach( visitor, {
		name: 'huge.png',
		mimeType: 'image/png',
		buffer: big,
	} );
	await expect( visitor.getByRole( 'alert' ) ).toHaveText( TEXTS.tooLarge );
	await expect( log ).not.toContainText( 'huge.png' );
	await visitor.context().close();
} );

test( 'the site’s disableAttachment hides the attach button', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage( browser, stack, consoleErrors, {
		disableAttachment: true,
	} );
	await expect(
		visitor.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();
	await expect(
		visitor.getByRole( 'button', { name: TEXTS.attach } )
	).toHaveCount( 0 );
	await visitor.context().close();
} );

test( 'a visitor searches the knowledge base by keyboard and opens an article', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage( browser, stack, consoleErrors );
	const chatTab = visitor.getByRole( 'tab', { name: 'Chat' } );
	await chatTab.focus();
	await visitor.keyboard.press( 'ArrowRight' );
	const helpTab = visitor.getByRole( 'tab', { name: TEXTS.tab } );
	await expect( helpTab ).toBeFocused();
	await expect( helpTab ).toHaveAttribute( 'aria-selected', 'true' );

	await visitor.keyboard.press( 'Tab' );
	const search = visitor.getByRole( 'searchbox', {
		name: TEXTS.searchLabel,
	} );
	await expect( search ).toBeFocused();
	await visitor.keyboard.type( 'refund' );
	await visitor.keyboard.press( 'Enter' );

	await expect( visitor.getByText( 'Articles found: 1' ) ).toBeVisible();
	const link = visitor.getByRole( 'link', {
		name: 'Refund policy (opens in a new tab)',
	} );
	await expect( link ).toHaveAttribute( 'href', site.articleUrl );
	await expect(
		visitor.getByText( 'Ask for a refund within 30 days of buying.' )
	).toBeVisible();
	await expectAccessible( visitor );

	const opened = visitor.context().waitForEvent( 'page' );
	await link.focus();
	await visitor.keyboard.press( 'Enter' );
	const article = await opened;
	await article.waitForLoadState();
	expect( article.url() ).toBe( site.articleUrl );
	await expect(
		article.getByRole( 'heading', { name: 'Refund policy' } )
	).toBeVisible();

	// Nothing found says so.
	await search.fill( 'unicorns' );
	await search.press( 'Enter' );
	await expect(
		visitor.getByText(
			'No articles match your search. Try other words, or ask us in the chat.'
		)
	).toBeVisible();
	await visitor.context().close();
} );
