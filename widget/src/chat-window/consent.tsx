/**
 * What the visitor answers in the chat window about consent: the cookie
 * banner (in the window, or beside the launcher on exit intent), consent to
 * process data above the composer, and the communications checkbox of the
 * e-mail and offline forms. Every text is the chatflow's, shown as text.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

import type {
	ChatWindowTexts,
	PublicConsentSettings,
	WidgetConfig,
} from '../page-settings';
import {
	answerBanner,
	bannerNeeded,
	type CookieConsent,
} from '../consent/cookie-consent';
import { watchCookieConsent } from './consent-answers';

/**
 * Whether the cookie banner must ask now; follows every answer.
 *
 * @param consent The widget's cookie consent, if any.
 */
export function useCookieBannerNeeded( consent?: CookieConsent ): boolean {
	const [ needed, setNeeded ] = useState( () => bannerNeeded( consent ) );
	useEffect(
		() =>
			consent &&
			watchCookieConsent( consent, () =>
				setNeeded( bannerNeeded( consent ) )
			),
		[ consent ]
	);
	return needed;
}

interface CookieBannerProps {
	/** The chatflow's cookie text. */
	text: string;
	texts: ChatWindowTexts;
	onAnswer: ( accepted: boolean ) => void;
	/** Takes focus when shown (in the window, before the chat can start). */
	autofocus?: boolean;
}

/**
 * The cookie banner: the chatflow's text, Accept and Decline.
 *
 * @param props Props.
 */
export function CookieBanner( props: CookieBannerProps ) {
	const { text, texts, onAnswer, autofocus } = props;
	return (
		<div
			className="cookie-banner"
			role="region"
			aria-label={ texts.cookieBanner }
		>
			<p className="consent-text">{ text }</p>
			<div className="row">
				<button
					type="button"
					className="primary"
					data-autofocus={ autofocus ? true : undefined }
					onClick={ () => onAnswer( true ) }
				>
					{ texts.cookieAccept }
				</button>
				<button
					type="button"
					className="secondary"
					onClick={ () => onAnswer( false ) }
				>
					{ texts.cookieDecline }
				</button>
			</div>
		</div>
	);
}

/** The banner beside the launcher, when it shows. */
let launcherBanner: { container: HTMLElement; style: HTMLElement } | null =
	null;

/** Removes the banner beside the launcher, if it shows (the window asks instead). */
export function removeLauncherBanner(): void {
	if ( launcherBanner ) {
		render( null, launcherBanner.container );
		launcherBanner.container.remove();
		launcherBanner.style.remove();
		launcherBanner = null;
	}
}

/** The banner beside the launcher: the window's look, placed where the welcome prompt shows. */
export const LAUNCHER_BANNER_STYLE = `
.launcher-banner{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:320px;max-width:calc(100vw - 40px);box-sizing:border-box;padding:14px 16px;border-radius:12px;background:#fff;color:#1e1e1e;box-shadow:0 4px 16px #0004;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.launcher-banner .consent-text{margin:0 0 10px}
.launcher-banner .row{display:flex;gap:8px}
.launcher-banner button{font:inherit;border-radius:6px;padding:8px 16px;min-height:40px;cursor:pointer;border:1px solid var(--accent);background:var(--accent);color:var(--on-accent)}
.launcher-banner .secondary{background:#fff;color:#1e1e1e;border-color:#757575}
.launcher-banner button:focus-visible{outline:3px solid #111;outline-offset:2px}
`;

/**
 * Shows the cookie banner beside the launcher (exit intent) while the
 * visitor has not answered; answering removes it and gives the launcher the
 * focus back.
 *
 * @param root              The loader's shadow root.
 * @param config            The widget's configuration.
 * @param accent            The accent colour and the text colour on it.
 * @param accent.background Accent colour.
 * @param accent.text       Text colour on it.
 */
export function showLauncherBanner(
	root: ShadowRoot,
	config: WidgetConfig,
	accent: { background: string; text: string }
): void {
	const consent = config.consent;
	const texts = config.texts.window;
	const text = config.chatflow?.consent?.cookies.text;
	if ( launcherBanner || ! consent || ! texts || ! text ) {
		return;
	}
	if ( ! bannerNeeded( consent ) ) {
		return;
	}
	const style = document.createElement( 'style' );
	style.textContent = LAUNCHER_BANNER_STYLE;
	const container = document.createElement( 'div' );
	container.className = 'launcher-banner';
	container.style.setProperty( '--accent', accent.background );
	container.style.setProperty( '--on-accent', accent.text );
	root.append( style, container );
	launcherBanner = { container, style };
	// The welcome prompt sits where the banner shows: the banner comes first.
	const prompt = root.querySelector< HTMLElement >( '.prompt' );
	if ( prompt ) {
		prompt.hidden = true;
	}
	render(
		<CookieBanner
			text={ text }
			texts={ texts }
			onAnswer={ ( accepted ) => {
				removeLauncherBanner();
				answerBanner( consent, accepted );
				root.querySelector< HTMLElement >( '.launcher' )?.focus();
			} }
		/>,
		container
	);
}

interface DataConsentProps {
	settings: PublicConsentSettings[ 'data' ];
	texts: ChatWindowTexts;
	/** Explicit mode: whether the visitor ticked "I agree". */
	agreed: boolean;
	onAgree: ( agreed: boolean ) => void;
	/** The visitor tried to send before agreeing. */
	showError: boolean;
	/** Said after the link to screen readers, e.g. "(opens in a new tab)"; '' for nothing. */
	newTabHint?: string;
}

/**
 * Consent to process data, above the composer: the chatflow's text with the
 * privacy-policy link and, in explicit mode, the "I agree" checkbox.
 *
 * @param props Props.
 */
export function DataConsent( props: DataConsentProps ) {
	const { settings, texts, agreed, onAgree, showError, newTabHint } = props;
	const checkbox = useRef< HTMLInputElement >( null );
	const explicit = settings.mode === 'explicit';
	useEffect( () => {
		if ( showError ) {
			checkbox.current?.focus();
		}
	}, [ showError ] );
	return (
		<div className="data-consent">
			<p className="consent-text" id="chatflows-data-consent-text">
				{ settings.text }
				{ settings.privacyPolicyUrl && (
					<>
						{ ' ' }
						<a
							href={ settings.privacyPolicyUrl }
							target="_blank"
							rel="noopener noreferrer"
						>
							{ texts.privacyPolicy }
							{ newTabHint && (
								<span className="visually-hidden">
									{ ` ${ newTabHint }` }
								</span>
							) }
						</a>
					</>
				) }
			</p>
			{ explicit && (
				<label className="check" htmlFor="chatflows-data-consent">
					<input
						ref={ checkbox }
						id="chatflows-data-consent"
						type="checkbox"
						checked={ agreed }
						aria-describedby={
							showError
								? 'chatflows-data-consent-text chatflows-data-consent-error'
								: 'chatflows-data-consent-text'
						}
						aria-invalid={ showError ? 'true' : 'false' }
						onChange={ ( event ) =>
							onAgree(
								( event.target as HTMLInputElement ).checked
							)
						}
					/>
					{ texts.dataAgree }
				</label>
			) }
			{ explicit && showError && (
				<p
					className="field-error"
					id="chatflows-data-consent-error"
					role="alert"
				>
					{ texts.dataAgreeFirst }
				</p>
			) }
		</div>
	);
}

/**
 * The text recorded for consent to process data: the chatflow's text and
 * the privacy-policy link, as shown.
 *
 * @param settings The chatflow's data consent.
 * @param texts    The window's texts.
 */
export function dataConsentText(
	settings: PublicConsentSettings[ 'data' ],
	texts: ChatWindowTexts
): string {
	return settings.privacyPolicyUrl
		? `${ settings.text }\n${ texts.privacyPolicy }: ${ settings.privacyPolicyUrl }`
		: settings.text;
}

interface CommunicationsCheckboxProps {
	/** The chatflow's label. */
	label: string;
	/** Unique per form. */
	id: string;
	checked: boolean;
	onChange: ( checked: boolean ) => void;
}

/**
 * The communications checkbox of the e-mail and offline forms.
 *
 * @param props Props.
 */
export function CommunicationsCheckbox( props: CommunicationsCheckboxProps ) {
	const { label, id, checked, onChange } = props;
	return (
		<label className="check" htmlFor={ id }>
			<input
				id={ id }
				type="checkbox"
				checked={ checked }
				onChange={ ( event ) =>
					onChange( ( event.target as HTMLInputElement ).checked )
				}
			/>
			{ label }
		</label>
	);
}
