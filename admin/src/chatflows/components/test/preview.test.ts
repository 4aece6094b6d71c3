/**
 * Tests of the preview page: the unsaved settings reach the widget's
 * configuration, texts cannot break out of the script, and each kind of
 * device follows its own display behaviour.
 */
import type { ChatWindowTexts } from '@chatflows/chat-ui';
import { defaultSettings } from '@chatflows/chatflow-model';
import { setAtPath } from '../../form/dirty';
import { previewDocument, scriptJson } from '../preview';

function configOf( document: string ) {
	const match = /window\.chatflowsConfig=(.*?);<\/script>/.exec( document );
	return JSON.parse( match![ 1 ] );
}

describe( 'previewDocument', () => {
	beforeEach( () => {
		window.chatflowsAdmin = {
			loaderUrl: 'https://example.test/loader.js?ver=1',
			chatWindowUrl: 'https://example.test/chat-window.js?ver=1',
			siteName: 'Example',
			pageUrl: '',
		};
	} );

	it( 'configures the widget in preview mode with the unsaved settings', () => {
		let settings = setAtPath(
			defaultSettings(),
			'display.accentColor',
			'#aa3300'
		);
		settings = setAtPath( settings, 'welcomeMessage.en_US', 'Hej!' );
		settings = setAtPath( settings, 'heading.mode', 'custom_branding' );
		settings = setAtPath( settings, 'heading.teamName', 'Acme' );

		const config = configOf( previewDocument( settings ) );

		expect( config ).toMatchObject( {
			preview: true,
			accentColor: '#aa3300',
			chatWindowUrl: 'https://example.test/chat-window.js?ver=1',
			texts: { emptyState: 'Hej!', heading: 'Acme' },
		} );
		expect( previewDocument( settings ) ).toContain(
			'<script src="https://example.test/loader.js?ver=1"></script>'
		);
	} );

	it( 'gives the window the texts WordPress prints for visitors, when the page has them', () => {
		const windowTexts = {
			chatTab: 'Chat',
			sound: 'Sound on new messages',
			replyTime: {
				minutes: 'Minutes',
				hour: 'An hour',
				hours: 'Hours',
				day: 'A day',
			},
		} as unknown as ChatWindowTexts;
		expect(
			configOf( previewDocument( defaultSettings() ) ).texts
		).not.toHaveProperty( 'window' );
		window.chatflowsAdmin = { ...window.chatflowsAdmin!, windowTexts };
		expect(
			configOf( previewDocument( defaultSettings() ) ).texts.window
		).toEqual( windowTexts );
	} );

	it( 'falls back to the default welcome text', () => {
		expect(
			configOf( previewDocument( defaultSettings() ) ).texts.emptyState
		).toBe( 'Hi! How can we help you today?' );
	} );

	it( 'keeps a text with a closing script tag inside the script, as text', () => {
		const hostile = '</script><script>alert(1)</script>';
		const document = previewDocument(
			setAtPath( defaultSettings(), 'welcomeMessage.en_US', hostile )
		);
		expect( document.match( /<\/script>/g ) ).toHaveLength(
			// The configuration, the loader and the opener.
			3
		);
		expect( configOf( document ).texts.emptyState ).toBe( hostile );
		expect( scriptJson( '<\u2028' ) ).toBe( '"\\u003c\\u2028"' );
	} );

	it( 'opens the chat on a desktop where its behaviour pops the welcome message, and always on a phone, as the phone shows it', () => {
		const settings = defaultSettings();
		expect( settings.displayBehaviour.desktop ).toBe( 'prompt' );
		expect( settings.displayBehaviour.mobile ).toBe( 'launcher' );
		expect( previewDocument( settings ) ).toContain( 'launcher.click()' );
		expect( previewDocument( settings, true ) ).toContain(
			'launcher.click()'
		);
		expect(
			previewDocument(
				setAtPath( settings, 'displayBehaviour.desktop', 'launcher' )
			)
		).not.toContain( 'launcher.click()' );
	} );

	it( 'heads the chat with the chosen users and teams', () => {
		const settings = defaultSettings();
		expect(
			configOf( previewDocument( settings, false, [ 'Alex', 'Sales' ] ) )
				.texts.heading
		).toBe( 'Alex, Sales' );
		expect( configOf( previewDocument( settings ) ).texts.heading ).toBe(
			'Chat with us'
		);
	} );
} );
