/**
 * The real widget, rendered with the form's unsaved settings on the device
 * the person picks with the device-type buttons above it (desktop, tablet,
 * mobile): an iframe loading the built loader and chat window in preview
 * mode, which never connects to the service.
 */
import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { deviceName } from '../../components/device-name';
import { adminData } from '../admin-data';
import type {
	ChatflowSettings,
	LocalizedText,
} from '@chatflows/chatflow-model';
import type { WidgetTexts } from '@chatflows/chat-ui';
import { useAgentsAndTeams } from './sections';

/** Preview sizes, in CSS pixels, and how much each is scaled down. */
export const PREVIEW_SIZES = [
	{ key: 'desktop', width: 1280, height: 800, scale: 0.5 },
	{ key: 'tablet', width: 768, height: 1024, scale: 0.5 },
	{ key: 'mobile', width: 375, height: 667, scale: 0.75 },
] as const;

type DeviceKey = ( typeof PREVIEW_SIZES )[ number ][ 'key' ];

function sizeLabel( key: DeviceKey ) {
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
 * settings, the loader, and a click that opens the chat. On a desktop or a
 * tablet it opens when the desktop display behaviour pops the welcome
 * message; a phone always shows the open chat, filling its screen as it does
 * for visitors, since the launcher alone shows nothing of the chat.
 *
 * @param settings Unsaved settings.
 * @param isMobile Whether the size is a phone's.
 * @param people   Names of the heading's chosen users and teams.
 */
export function previewDocument(
	settings: ChatflowSettings,
	isMobile = false,
	people: string[] = []
): string {
	const { loaderUrl, chatWindowUrl, windowTexts } = adminData();
	let heading: string = __( 'Chat with us', 'chatflows' );
	if (
		settings.heading.mode === 'custom_branding' &&
		settings.heading.teamName.trim()
	) {
		heading = settings.heading.teamName;
	} else if ( settings.heading.mode === 'users_and_teams' && people.length ) {
		heading = people.join( ', ' );
	}
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
		} satisfies WidgetTexts,
	};
	const opensAtOnce =
		isMobile || settings.displayBehaviour.desktop !== 'launcher';
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
 * Names of the heading's chosen users and teams, as the agents and teams
 * lists give them (none while they load).
 *
 * @param settings Unsaved settings.
 */
function useHeadingPeople( settings: ChatflowSettings ): string[] {
	const { agents, teams } = useAgentsAndTeams();
	const named = (
		ids: number[],
		list: Array< { id: number; name: string } >
	) =>
		ids.flatMap(
			( id ) => list.find( ( item ) => item.id === id )?.name ?? []
		);
	return [
		...named( settings.heading.userIds, agents ?? [] ),
		...named( settings.heading.teamIds, teams ?? [] ),
	];
}

/**
 * The preview, with the device-type buttons above it.
 *
 * @param props          Props.
 * @param props.settings Unsaved settings.
 */
export function ChatflowPreview( {
	settings,
}: {
	settings: ChatflowSettings;
} ) {
	const [ device, setDevice ] = useState< DeviceKey >( 'desktop' );
	const people = useHeadingPeople( settings );
	const size = PREVIEW_SIZES.find( ( item ) => item.key === device )!;
	return (
		<div className="chatflows-preview">
			<p>
				{ __(
					'This is the real chat widget with your unsaved settings. It does not connect to your team.',
					'chatflows'
				) }
			</p>
			<div
				role="group"
				className="chatflows-preview__devices"
				aria-label={ __( 'Device type', 'chatflows' ) }
			>
				{ PREVIEW_SIZES.map( ( item ) => (
					<Button
						key={ item.key }
						variant={
							item.key === device ? 'primary' : 'secondary'
						}
						aria-pressed={ item.key === device }
						onClick={ () => setDevice( item.key ) }
					>
						{ deviceName( item.key ) }
					</Button>
				) ) }
			</div>
			<div
				className={ `chatflows-preview__frame chatflows-preview__frame--${ size.key }` }
				style={ {
					width: size.width * size.scale,
					height: size.height * size.scale,
				} }
			>
				<iframe
					// A new page per device: the widget reads the viewport once.
					key={ size.key }
					title={ sizeLabel( size.key ) }
					srcDoc={ previewDocument(
						settings,
						size.key === 'mobile',
						people
					) }
					width={ size.width }
					height={ size.height }
					style={ {
						transform: `scale(${ size.scale })`,
						transformOrigin: '0 0',
					} }
				/>
			</div>
		</div>
	);
}
