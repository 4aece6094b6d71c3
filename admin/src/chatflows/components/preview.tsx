/**
 * The real widget, rendered with the form's unsaved settings at desktop,
 * tablet and mobile sizes: each size is an iframe loading the built loader
 * and chat window in preview mode, which never connects to the service.
 */
import { __ } from '@wordpress/i18n';

import { adminData } from '../admin-data';
import type { ChatflowSettings, LocalizedText } from '../settings-types';

/** Preview sizes, in CSS pixels, and how much each is scaled down. */
export const PREVIEW_SIZES = [
	{ key: 'desktop', width: 1280, height: 800, scale: 0.4 },
	{ key: 'tablet', width: 768, height: 1024, scale: 0.4 },
	{ key: 'mobile', width: 375, height: 667, scale: 0.6 },
] as const;

function sizeLabel( key: ( typeof PREVIEW_SIZES )[ number ][ 'key' ] ) {
	switch ( key ) {
		case 'desktop':
			return __( 'Preview on desktop', 'chatflows' );
		case 'tablet':
			return __( 'Preview on tablet', 'chatflows' );
		default:
			return __( 'Preview on mobile', 'chatflows' );
	}
}

function textIn( text: LocalizedText, fallback: string ): string {
	const value = text.en_US?.trim();
	return value ? value : fallback;
}

/**
 * JSON that is safe inside an inline script: `<` can never close the tag.
 *
 * @param value A JSON value.
 */
export function scriptJson( value: unknown ): string {
	return JSON.stringify( value )
		.replace( /</g, '\\u003c' )
		.replace( /\u2028/g, '\\u2028' )
		.replace( /\u2029/g, '\\u2029' );
}

/**
 * The preview page of one size: the widget's configuration from the
 * settings, the loader, and a click that opens the chat when the display
 * behaviour for that kind of device pops the welcome message.
 *
 * @param settings Unsaved settings.
 * @param isMobile Whether the size is a phone's (the mobile behaviour applies).
 */
export function previewDocument(
	settings: ChatflowSettings,
	isMobile = false
): string {
	const { loaderUrl, chatWindowUrl, windowTexts } = adminData();
	const heading =
		settings.heading.mode === 'custom_branding' &&
		settings.heading.teamName.trim()
			? settings.heading.teamName
			: __( 'Chat with us', 'chatflows' );
	const config = {
		chatflowId: 'preview',
		serviceUrl: '',
		chatWindowUrl,
		locale: 'en_US',
		preview: true,
		accentColor: settings.display.accentColor,
		texts: {
			openChat: __( 'Open chat', 'chatflows' ),
			closeChat: __( 'Close chat', 'chatflows' ),
			heading,
			message: __( 'Message', 'chatflows' ),
			send: __( 'Send', 'chatflows' ),
			you: __( 'You', 'chatflows' ),
			team: __( 'Team', 'chatflows' ),
			messages: __( 'Messages', 'chatflows' ),
			sending: __( 'Sending…', 'chatflows' ),
			notSent: __(
				'Not sent yet. It will be sent when the connection returns.',
				'chatflows'
			),
			connecting: __( 'Connecting…', 'chatflows' ),
			reconnecting: __( 'Reconnecting…', 'chatflows' ),
			emptyState: textIn(
				settings.welcomeMessage,
				__( 'Hi! How can we help you today?', 'chatflows' )
			),
			// The window's own texts, as visitors get them: without them its
			// controls (the sound switch, the forms) would stay hidden.
			...( windowTexts && { window: windowTexts } ),
		},
	};
	const behaviour = isMobile
		? settings.displayBehaviour.mobile
		: settings.displayBehaviour.desktop;
	const opensAtOnce = behaviour !== 'launcher';
	return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f6f7f7;color:#1e1e1e}main{padding:24px}.bar{height:14px;margin:12px 0;border-radius:7px;background:#dcdcde}.bar.short{width:60%}</style></head>
<body><main><div class="bar"></div><div class="bar short"></div><div class="bar"></div></main>
<script>window.chatflowsConfig=${ scriptJson( config ) };</script>
<script src="${ loaderUrl.replace( /"/g, '&quot;' ) }"></script>
${
	opensAtOnce
		? `<script>(function(){var host=document.getElementById('chatflows-widget');var launcher=host&&host.shadowRoot&&host.shadowRoot.querySelector('button');if(launcher){launcher.click();}})();</script>`
		: ''
}
</body></html>`;
}

/**
 * The three previews.
 *
 * @param props          Props.
 * @param props.settings Unsaved settings.
 */
export function ChatflowPreview( {
	settings,
}: {
	settings: ChatflowSettings;
} ) {
	const desktopDocument = previewDocument( settings );
	const mobileDocument = previewDocument( settings, true );
	return (
		<div className="chatflows-preview">
			<p>
				{ __(
					'This is the real chat widget with your unsaved settings. It does not connect to your team.',
					'chatflows'
				) }
			</p>
			<div className="chatflows-preview__sizes">
				{ PREVIEW_SIZES.map( ( size ) => (
					<figure
						key={ size.key }
						className="chatflows-preview__size"
					>
						<figcaption>{ sizeLabel( size.key ) }</figcaption>
						<div
							className="chatflows-preview__frame"
							style={ {
								width: size.width * size.scale,
								height: size.height * size.scale,
							} }
						>
							<iframe
								title={ sizeLabel( size.key ) }
								srcDoc={
									size.key === 'mobile'
										? mobileDocument
										: desktopDocument
								}
								width={ size.width }
								height={ size.height }
								style={ {
									transform: `scale(${ size.scale })`,
									transformOrigin: '0 0',
								} }
							/>
						</div>
					</figure>
				) ) }
			</div>
		</div>
	);
}
