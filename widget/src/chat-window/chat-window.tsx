/**
 * The chat window: heading, messages (a live region), and the composer.
 * Every message is rendered as text, never as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

import type { WidgetConfig } from '../config';
import type { VisitorChat, VisitorChatState } from './visitor-chat';

interface ChatWindowProps {
	chat: Pick< VisitorChat, 'getState' | 'subscribe' | 'send' >;
	config: WidgetConfig;
	visible: boolean;
	onClose: () => void;
}

function useChatState( chat: ChatWindowProps[ 'chat' ] ): VisitorChatState {
	const [ state, setState ] = useState( chat.getState() );
	useEffect(
		() => chat.subscribe( () => setState( chat.getState() ) ),
		[ chat ]
	);
	return state;
}

export function ChatWindow( {
	chat,
	config,
	visible,
	onClose,
}: ChatWindowProps ) {
	const { texts } = config;
	const state = useChatState( chat );
	const [ draft, setDraft ] = useState( '' );
	const input = useRef< HTMLTextAreaElement >( null );
	const log = useRef< HTMLOListElement >( null );

	useEffect( () => {
		if ( visible ) {
			input.current?.focus();
		}
	}, [ visible ] );

	useEffect( () => {
		log.current?.scrollTo( { top: log.current.scrollHeight } );
	}, [ state.messages.length, state.pending.length ] );

	const submit = ( event: Event ) => {
		event.preventDefault();
		chat.send( draft );
		setDraft( '' );
	};

	const onKeyDown = ( event: KeyboardEvent ) => {
		if (
			event.key === 'Enter' &&
			! event.shiftKey &&
			! event.isComposing
		) {
			submit( event );
		} else if ( event.key === 'Escape' ) {
			onClose();
		}
	};

	const statusText = {
		connecting: texts.connecting,
		reconnecting: texts.reconnecting,
		connected: '',
	}[ state.status ];

	return (
		<section
			className="window"
			role="dialog"
			aria-label={ texts.heading }
			hidden={ ! visible }
		>
			<header className="header">
				<h2>{ texts.heading }</h2>
				<button
					type="button"
					className="close"
					aria-label={ texts.closeChat }
					onClick={ onClose }
				>
					×
				</button>
			</header>
			{ statusText && (
				<div className="status" role="status">
					{ statusText }
				</div>
			) }
			<ol
				className="log"
				ref={ log }
				role="log"
				aria-live="polite"
				aria-label={ texts.messages }
			>
				{ state.messages.length === 0 && state.pending.length === 0 && (
					<li className="empty">{ texts.emptyState }</li>
				) }
				{ state.messages.map( ( message ) => (
					<li
						key={ message.seq }
						className={ `message ${ message.authorType }` }
					>
						<span className="author">
							{ message.authorType === 'visitor'
								? texts.you
								: message.authorName || texts.team }
						</span>
						{ message.body }
					</li>
				) ) }
				{ state.pending.map( ( message ) => (
					<li
						key={ message.clientId }
						className="message visitor pending"
					>
						<span className="author">
							{ texts.you } ·{ ' ' }
							{ state.status === 'connected'
								? texts.sending
								: texts.notSent }
						</span>
						{ message.body }
					</li>
				) ) }
			</ol>
			{ state.error && (
				<div className="error" role="alert">
					{ state.error }
				</div>
			) }
			<form onSubmit={ submit }>
				<label className="visually-hidden" htmlFor="chatflows-message">
					{ texts.message }
				</label>
				<textarea
					id="chatflows-message"
					ref={ input }
					rows={ 1 }
					value={ draft }
					onInput={ ( event ) =>
						setDraft(
							( event.target as HTMLTextAreaElement ).value
						)
					}
					onKeyDown={ onKeyDown }
				/>
				<button type="submit" className="send">
					{ texts.send }
				</button>
			</form>
		</section>
	);
}
