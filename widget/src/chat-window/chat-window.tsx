/**
 * The chat window: heading, availability, messages (a polite live region),
 * and below them the composer, e-mail capture, offline form or survey.
 * Every message is rendered as text, never as HTML.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import type { ChatWindowTexts, WidgetConfig } from '../page-settings';
import { availabilityView } from './availability-view';
import type { ChatWindowExtensions } from './extensions';
import { MessageAttachment, hasOwnText } from './attachments';
import { answerBanner } from '../consent/cookie-consent';
import {
	CookieBanner,
	DataConsent,
	dataConsentText,
	useCookieBannerNeeded,
} from './consent';
import { consentAnswer } from './consent-answers';
import { Composer, EmailForm, OfflineForm, SurveyForm } from './forms';
import { authorOf, headingView, typistOf } from './heading';
import { playChime } from './sound';
import { STORAGE_KEYS, readStored, writeStored } from './storage';
import { fill, formatWait } from './text';
import { accentPalette } from '../colour';
import { TypingNotifier } from './typing';
import type { ChatController, VisitorChatState } from './visitor-chat';
import {
	asksEmailAfterFirstMessage,
	closedStep,
	composerMode,
	seenVisitorSeq,
	type ClosedStepsDone,
} from './window-view';

export interface ChatWindowProps {
	chat: ChatController;
	config: WidgetConfig;
	/** The window's texts (never missing: `index.tsx` fills them in). */
	texts: ChatWindowTexts;
	visible: boolean;
	onClose: () => void;
	/** The visitor typed or clicked something in the window. */
	onInteract?: () => void;
	extensions?: ChatWindowExtensions;
}

const CHAT_TAB = 'chat';

function useChatState( chat: ChatController ): VisitorChatState {
	const [ state, setState ] = useState( chat.getState() );
	useEffect( () => {
		setState( chat.getState() );
		return chat.subscribe( () => setState( chat.getState() ) );
	}, [ chat ] );
	return state;
}

/**
 * The window.
 *
 * @param props Props.
 */
export function ChatWindow( props: ChatWindowProps ) {
	const {
		chat,
		config,
		texts,
		visible,
		onClose,
		onInteract,
		extensions = { tabs: [], composerActions: [] },
	} = props;
	const widgetTexts = config.texts;
	const settings = config.chatflow;
	const locale = settings?.language ?? config.locale;
	const state = useChatState( chat );
	const section = useRef< HTMLElement >( null );
	const log = useRef< HTMLDivElement >( null );
	const [ tab, setTab ] = useState( CHAT_TAB );
	const [ sound, setSound ] = useState(
		() => readStored( STORAGE_KEYS.sound ) === '1'
	);
	const [ knownContact ] = useState(
		() => readStored( STORAGE_KEYS.contact ) === '1'
	);
	const [ emailSavedHere, setEmailSavedHere ] = useState( false );
	const consentSettings = settings?.consent;
	const cookieBanner = useCookieBannerNeeded( config.consent );
	const [ dataAgreed, setDataAgreed ] = useState( false );
	const [ dataAgreeError, setDataAgreeError ] = useState( false );
	const dataNoticeRecorded = useRef( false );
	const typing = useMemo(
		() => new TypingNotifier( ( isTyping ) => chat.setTyping( isTyping ) ),
		[ chat ]
	);

	const context = { chat, config };
	const tabs = extensions.tabs.filter( ( extra ) =>
		extra.enabled( context )
	);
	const availability = availabilityView(
		state.availability,
		settings?.availability,
		texts,
		locale
	);
	const mode = composerMode(
		state,
		availability,
		settings?.emailCapture,
		knownContact
	);
	const heading = headingView(
		settings?.heading,
		widgetTexts,
		state.messages
	);
	const palette = accentPalette(
		settings?.accentColor ?? config.accentColor
	);
	const seenSeq = seenVisitorSeq( state );
	// What the visitor did after this conversation closed (forgotten for the next one).
	const [ closedDone, setClosedDone ] = useState<
		ClosedStepsDone & { conversationId?: string }
	>( {} );
	const doneHere =
		closedDone.conversationId === state.conversation?.id ? closedDone : {};
	const finishStep = ( part: keyof ClosedStepsDone ) =>
		setClosedDone( {
			...doneHere,
			conversationId: state.conversation?.id,
			[ part ]: true,
		} );
	const asksEmail = asksEmailAfterFirstMessage(
		state,
		settings?.emailCapture,
		knownContact
	);
	const nextStep = closedStep( state, asksEmail, doneHere );

	// Consent to process data is asked before the conversation starts.
	const dataConsent =
		consentSettings?.data.enabled &&
		! state.conversation &&
		state.pending.length === 0
			? consentSettings.data
			: undefined;
	const awaitingAgreement = dataConsent?.mode === 'explicit' && ! dataAgreed;
	const communications = consentSettings?.communications.enabled
		? consentSettings.communications
		: undefined;

	/**
	 * Whether the visitor may send what starts the conversation: in explicit
	 * mode only once they agreed (else they are told, and nothing is sent). A
	 * notice (legitimate interest) is recorded as shown with the first message.
	 */
	const mayStart = (): boolean => {
		if ( awaitingAgreement ) {
			setDataAgreeError( true );
			return false;
		}
		if (
			dataConsent?.mode === 'legitimate_interest' &&
			! dataNoticeRecorded.current
		) {
			dataNoticeRecorded.current = true;
			chat.recordConsent?.(
				consentAnswer(
					'data_processing',
					true,
					'notice',
					dataConsentText( dataConsent, texts )
				)
			);
		}
		return true;
	};

	const recordCommunications = ( ticked: boolean ) => {
		if ( communications ) {
			chat.recordConsent?.(
				consentAnswer(
					'communications',
					ticked,
					'checkbox',
					communications.label,
					communications.subscriptionType
				)
			);
		}
	};

	// Focus goes into the window when it opens: the first field of what it shows.
	useEffect( () => {
		if ( visible ) {
			section.current
				?.querySelector< HTMLElement >(
					'.panel:not([hidden]) [data-autofocus]'
				)
				?.focus();
		}
		// Not on a tab change: focus stays on the tab the visitor chose.
	}, [ visible, mode, cookieBanner, nextStep ] );

	// A form that goes away (the e-mail address saved) would leave focus
	// nowhere: it goes back to the window's first field.
	useEffect( () => {
		const element = section.current;
		const root = element?.getRootNode() as
			Document | ShadowRoot | undefined;
		const active = root?.activeElement;
		if (
			visible &&
			element &&
			( ! active || ! element.contains( active ) )
		) {
			element
				.querySelector< HTMLElement >(
					'.panel:not([hidden]) [data-autofocus]'
				)
				?.focus();
		}
	}, [ visible, state.contact ] );

	// Escape closes the window from anywhere inside it.
	useEffect( () => {
		const element = section.current;
		const onKeyDown = ( event: KeyboardEvent ) => {
			if ( event.key === 'Escape' ) {
				event.preventDefault();
				onClose();
			}
		};
		const interacted = () => onInteract?.();
		element?.addEventListener( 'keydown', onKeyDown );
		element?.addEventListener( 'keydown', interacted );
		element?.addEventListener( 'click', interacted );
		return () => {
			element?.removeEventListener( 'keydown', onKeyDown );
			element?.removeEventListener( 'keydown', interacted );
			element?.removeEventListener( 'click', interacted );
		};
	}, [ onClose, onInteract ] );

	useEffect( () => {
		if ( log.current ) {
			log.current.scrollTop = log.current.scrollHeight;
		}
	}, [ state.messages.length, state.pending.length, state.agentTyping ] );

	// What the visitor sees is read: the team learns it and the badge clears.
	useEffect( () => {
		const read = () => {
			if ( visible && document.visibilityState === 'visible' ) {
				chat.markRead();
			}
		};
		read();
		document.addEventListener( 'visibilitychange', read );
		return () => document.removeEventListener( 'visibilitychange', read );
	}, [ chat, visible, state.unreadCount ] );

	useEffect( () => {
		if ( sound && state.agentMessagesReceived > 0 ) {
			playChime();
		}
		// Only a new message chimes, not turning the sound on.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ state.agentMessagesReceived ] );

	useEffect( () => () => typing.stop(), [ typing ] );

	const toggleSound = () => {
		writeStored( STORAGE_KEYS.sound, sound ? null : '1' );
		setSound( ! sound );
	};

	const statusText = {
		connecting: widgetTexts.connecting,
		reconnecting: widgetTexts.reconnecting,
		unreachable: '',
		unavailable: '',
		connected: '',
	}[ state.status ];

	const errorText =
		state.error === 'rate_limited'
			? texts.rateLimited
			: state.error && texts.notDelivered;

	const emailForm = ( onSkip?: () => void ) => (
		<EmailForm
			texts={ texts }
			intro={ settings?.emailCapture.message ?? '' }
			communications={ communications?.label }
			autofocus={ !! onSkip }
			onSkip={ onSkip }
			onSave={ async ( email, ticked ) => {
				const outcome = await chat.saveEmail( email );
				setEmailSavedHere( outcome !== 'invalid' );
				if ( outcome !== 'invalid' ) {
					recordCommunications( ticked );
				}
				return outcome !== 'invalid';
			} }
		/>
	);
	// While the conversation is open or none was started: what the chatflow
	// asks before or beside the message box.
	const startForms = ! nextStep && ! cookieBanner && (
		<>
			{ dataConsent && (
				<DataConsent
					settings={ dataConsent }
					texts={ texts }
					agreed={ dataAgreed }
					showError={ dataAgreeError && awaitingAgreement }
					newTabHint={ config.texts.knowledge?.opensInNewTab }
					onAgree={ ( agreed ) => {
						setDataAgreed( agreed );
						setDataAgreeError( false );
						chat.recordConsent?.(
							consentAnswer(
								'data_processing',
								agreed,
								'checkbox',
								dataConsentText( dataConsent, texts )
							)
						);
					} }
				/>
			) }
			{ mode === 'offline' && (
				<OfflineForm
					texts={ texts }
					widgetTexts={ widgetTexts }
					intro={
						state.status === 'unreachable'
							? texts.unreachable
							: texts.offlineIntro
					}
					communications={ communications?.label }
					onLeave={ ( email, body, ticked ) => {
						if ( ! mayStart() ) {
							return false;
						}
						chat.leaveOfflineMessage( email, body );
						recordCommunications( ticked );
						return true;
					} }
				/>
			) }
			{ mode === 'email_first' && (
				<EmailForm
					texts={ texts }
					intro={ settings?.emailCapture.message ?? '' }
					autofocus
					communications={ communications?.label }
					onSave={ async ( email, ticked ) => {
						if ( ! mayStart() ) {
							return null;
						}
						const outcome = await chat.saveEmail( email );
						if ( outcome !== 'invalid' ) {
							recordCommunications( ticked );
						}
						return outcome !== 'invalid';
					} }
				/>
			) }
			{ mode === 'compose' && asksEmail && emailForm() }
		</>
	);
	const loading =
		state.status === 'connecting' &&
		state.messages.length === 0 &&
		state.pending.length === 0;
	const empty =
		! loading &&
		state.messages.length === 0 &&
		state.pending.length === 0 &&
		mode === 'compose' &&
		! nextStep &&
		!! texts.startHint;

	const chatPanel = (
		<div
			className="panel"
			id="chatflows-panel-chat"
			role={ tabs.length ? 'tabpanel' : undefined }
			aria-labelledby={ tabs.length ? 'chatflows-tab-chat' : undefined }
			hidden={ tab !== CHAT_TAB }
		>
			<div
				className="log"
				ref={ log }
				role="log"
				aria-live="polite"
				aria-label={ widgetTexts.messages }
				aria-busy={ loading ? 'true' : undefined }
				// Scrollable: reachable by keyboard to scroll back.

				tabIndex={ 0 }
			>
				<ol className="messages">
					<li className="message agent welcome">
						{ settings?.welcomeMessage || widgetTexts.emptyState }
					</li>
					{ state.messages.map( ( message ) => (
						<li
							key={ message.seq }
							className={ `message ${ message.authorType }` }
						>
							<span className="author">
								{ authorOf(
									message,
									settings?.heading,
									widgetTexts
								) }
							</span>
							<MessageAttachment
								message={ message }
								context={ context }
							/>
							{ hasOwnText( message ) && message.body }
							{ message.seq === seenSeq && (
								<span className="receipt">{ texts.seen }</span>
							) }
						</li>
					) ) }
					{ state.pending.map( ( message ) => (
						<li
							key={ message.clientId }
							className="message visitor pending"
						>
							<span className="author">
								{ widgetTexts.you } ·{ ' ' }
								{ state.status === 'connected'
									? widgetTexts.sending
									: widgetTexts.notSent }
							</span>
							{ message.body }
						</li>
					) ) }
				</ol>
				{ loading && (
					// Where the conversation will show once connected, not a blank area.
					<div className="skeleton" aria-hidden="true">
						<span />
						<span />
					</div>
				) }
				{ empty && <p className="hint">{ texts.startHint }</p> }
			</div>
			{ state.agentTyping && (
				<p className="typing">
					<span className="dots" aria-hidden="true">
						<span />
						<span />
						<span />
					</span>
					{ fill(
						texts.typing,
						typistOf(
							settings?.heading,
							widgetTexts,
							state.messages
						)
					) }
				</p>
			) }
			{ /* Everything between the conversation and the message box: it
			scrolls, so the conversation keeps its height. */ }
			<div className="dock">
				<div className="notices" role="status">
					{ state.queue && ! nextStep && (
						<p className="queue">
							{ fill(
								texts.queuePosition,
								state.queue.position,
								formatWait(
									state.queue.estimatedWaitSeconds,
									locale
								)
							) }
						</p>
					) }
					{ state.leftOfflineMessage && state.contact !== 'none' && (
						<p className="offline-sent">
							{ state.pending.length === 0 &&
							state.contact === 'saved'
								? texts.offlineSent
								: texts.offlineQueued }
						</p>
					) }
					{ state.survey?.answered && nextStep && (
						<p className="survey-thanks">{ texts.surveyThanks }</p>
					) }
					{ emailSavedHere && state.contact === 'saved' && (
						<p className="email-saved">{ texts.emailSaved }</p>
					) }
					{ mode === 'unavailable' && (
						<p className="unavailable">{ texts.unavailable }</p>
					) }
				</div>
				{ errorText && (
					<p className="error" role="alert">
						{ errorText }
					</p>
				) }
				{ nextStep === 'survey' && state.survey && (
					<SurveyForm
						texts={ texts }
						question={ state.survey.question }
						answered={ false }
						onAnswer={ ( rating, comment ) =>
							chat.answerSurvey( rating, comment )
						}
						onSkip={ () => finishStep( 'survey' ) }
					/>
				) }
				{ nextStep === 'email' &&
					emailForm( () => finishStep( 'email' ) ) }
				{ nextStep === 'ended' && (
					<div className="next-step">
						<p>{ texts.conversationClosed }</p>
						<button
							type="button"
							className="primary"
							data-autofocus
							onClick={ () => finishStep( 'restart' ) }
						>
							{ texts.startNew }
						</button>
					</div>
				) }
				{ cookieBanner && consentSettings && (
					// Before anything else: the chat can start once the visitor answered.
					<CookieBanner
						text={ consentSettings.cookies.text }
						texts={ texts }
						autofocus
						onAnswer={ ( accepted ) =>
							config.consent &&
							answerBanner( config.consent, accepted )
						}
					/>
				) }
				{ startForms }
			</div>
			{ ! nextStep && ! cookieBanner && mode === 'compose' && (
				<Composer
					texts={ widgetTexts }
					onSend={ ( body ) => {
						if ( ! mayStart() ) {
							return false;
						}
						typing.stop();
						chat.send( body );
						return true;
					} }
					onInput={ () => typing.input() }
					actions={
						// Files are data too: offered once the visitor agreed.
						awaitingAgreement
							? null
							: extensions.composerActions.map( ( action ) =>
									action( context )
								)
					}
				/>
			) }
		</div>
	);

	return (
		<section
			className="window"
			role="dialog"
			// The chat's language may differ from the page's: screen readers need to know.
			lang={ config.locale.replace( '_', '-' ) }
			aria-labelledby="chatflows-heading"
			hidden={ ! visible }
			ref={ section }
			style={ {
				'--accent': palette.solid,
				'--on-accent': palette.onAccent,
				'--accent-text': palette.text,
				'--accent-soft': palette.soft,
			} }
		>
			<div className="header">
				{ heading.imageUrl ? (
					<img className="avatar" src={ heading.imageUrl } alt="" />
				) : (
					heading.initials && (
						<span className="avatar initials" aria-hidden="true">
							{ heading.initials }
						</span>
					)
				) }
				<div className="title">
					<h2 id="chatflows-heading">{ heading.name }</h2>
					{ availability.notice && (
						<p className="availability">{ availability.notice }</p>
					) }
				</div>
				{ texts.sound && (
					<button
						type="button"
						className="icon-button sound"
						aria-pressed={ sound ? 'true' : 'false' }
						aria-label={ texts.sound }
						title={ texts.sound }
						onClick={ toggleSound }
					>
						<svg
							viewBox="0 0 24 24"
							aria-hidden="true"
							focusable="false"
						>
							<path d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1l-2-2z" />
							{ ! sound && (
								<path
									d="M3 3l18 18"
									stroke="currentColor"
									strokeWidth="2"
								/>
							) }
						</svg>
					</button>
				) }
				{ ! config.embedded && (
					<button
						type="button"
						className="icon-button close"
						aria-label={ widgetTexts.closeChat }
						onClick={ onClose }
					>
						<span aria-hidden="true">×</span>
					</button>
				) }
			</div>
			{ statusText && (
				<div className="status" role="status">
					{ statusText }
				</div>
			) }
			{ tabs.length > 0 && (
				<div className="tabs" role="tablist">
					{ [
						{ id: CHAT_TAB, label: texts.chatTab },
						...tabs.map( ( extra ) => ( {
							id: extra.id,
							label: extra.label( context ),
						} ) ),
					].map( ( item, index, all ) => (
						<button
							key={ item.id }
							type="button"
							role="tab"
							id={ `chatflows-tab-${ item.id }` }
							aria-controls={ `chatflows-panel-${ item.id }` }
							aria-selected={ tab === item.id ? 'true' : 'false' }
							tabIndex={ tab === item.id ? 0 : -1 }
							onClick={ () => setTab( item.id ) }
							onKeyDown={ ( event ) => {
								const step =
									{ ArrowRight: 1, ArrowLeft: -1 }[
										event.key
									] ?? 0;
								if ( step ) {
									const next =
										all[
											( index + step + all.length ) %
												all.length
										];
									setTab( next.id );
									(
										event.currentTarget.parentElement?.querySelector(
											`#chatflows-tab-${ next.id }`
										) as HTMLElement | null
									 )?.focus();
								}
							} }
						>
							{ item.label }
						</button>
					) ) }
				</div>
			) }
			{ chatPanel }
			{ tabs.map( ( extra ) => (
				<div
					key={ extra.id }
					className="panel"
					id={ `chatflows-panel-${ extra.id }` }
					role="tabpanel"
					aria-labelledby={ `chatflows-tab-${ extra.id }` }
					hidden={ tab !== extra.id }
				>
					{ tab === extra.id && extra.render( context ) }
				</div>
			) ) }
		</section>
	);
}
