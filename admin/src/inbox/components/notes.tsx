/**
 * Internal notes in the inbox: a note among the messages (marked as only the
 * team's), the reply / note switch, "someone else is replying", and the
 * Mentions view.
 */
import { Button } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import type {
	AgentTypingIndicator,
	ChatMessage,
	ComposeMode,
	InternalNote,
} from '@chatflows/protocol';
import type { InboxConnection } from '../connection';
import { visitorLabel } from '../notifications';
import { store } from '../store';
import { othersWriting } from '../store/notes';
import { EmptyState } from './placeholders';

/** A message or a note, in the order they were written. */
export type TimelineItem =
	| { kind: 'message'; message: ChatMessage }
	| { kind: 'note'; note: InternalNote };

/**
 * Messages and notes in one list, by time (messages keep their seq order).
 *
 * @param messages Messages by seq.
 * @param notes    Notes by seq.
 * @return Both, oldest first.
 */
export function timelineOf(
	messages: ChatMessage[],
	notes: InternalNote[]
): TimelineItem[] {
	const items: TimelineItem[] = [];
	let next = 0;
	for ( const message of messages ) {
		while (
			next < notes.length &&
			notes[ next ].createdAt < message.createdAt
		) {
			items.push( { kind: 'note', note: notes[ next++ ] } );
		}
		items.push( { kind: 'message', message } );
	}
	for ( ; next < notes.length; next++ ) {
		items.push( { kind: 'note', note: notes[ next ] } );
	}
	return items;
}

/**
 * A note's text with its `@mentions` set apart (plain text, never markup).
 *
 * @param props      Props.
 * @param props.note The note.
 */
export function NoteBody( { note }: { note: InternalNote } ) {
	const names = note.mentions
		.map( ( mention ) => `@${ mention.name }` )
		.sort( ( a, b ) => b.length - a.length );
	const parts: Array< string | { mention: string } > = [];
	let rest = note.body;
	while ( rest !== '' && names.length > 0 ) {
		let at = -1;
		let found = '';
		for ( const name of names ) {
			const index = rest.indexOf( name );
			if ( index !== -1 && ( at === -1 || index < at ) ) {
				at = index;
				found = name;
			}
		}
		if ( at === -1 ) {
			break;
		}
		parts.push( rest.slice( 0, at ), { mention: found } );
		rest = rest.slice( at + found.length );
	}
	parts.push( rest );
	return (
		<span className="chatflows-inbox__body">
			{ parts.map( ( part, index ) =>
				typeof part === 'string' ? (
					part
				) : (
					<strong key={ index } className="chatflows-inbox__mention">
						{ part.mention }
					</strong>
				)
			) }
		</span>
	);
}

/**
 * A note among the messages.
 *
 * @param props      Props.
 * @param props.note The note.
 */
export function NoteItem( { note }: { note: InternalNote } ) {
	return (
		<li className="chatflows-inbox__message is-note">
			<span className="chatflows-inbox__author">
				{ sprintf(
					/* translators: %s: the agent who wrote the note. */
					__( 'Internal note by %s', 'chatflows' ),
					note.authorName || __( 'an agent', 'chatflows' )
				) }
			</span>
			<NoteBody note={ note } />
		</li>
	);
}

/**
 * Switches the composer between a reply to the visitor and a note.
 *
 * @param props          Props.
 * @param props.mode     What is written now.
 * @param props.onChange Switches.
 */
export function ComposeSwitch( {
	mode,
	onChange,
}: {
	mode: ComposeMode;
	onChange: ( mode: ComposeMode ) => void;
} ) {
	return (
		<div
			className="chatflows-inbox__compose-switch"
			role="group"
			aria-label={ __( 'Write', 'chatflows' ) }
		>
			<Button
				variant={ mode === 'reply' ? 'primary' : 'secondary' }
				aria-pressed={ mode === 'reply' }
				onClick={ () => onChange( 'reply' ) }
			>
				{ __( 'Reply', 'chatflows' ) }
			</Button>
			<Button
				variant={ mode === 'note' ? 'primary' : 'secondary' }
				aria-pressed={ mode === 'note' }
				onClick={ () => onChange( 'note' ) }
			>
				{ __( 'Internal note', 'chatflows' ) }
			</Button>
		</div>
	);
}

/**
 * What one other agent is writing, in words.
 *
 * @param writer The indicator.
 */
export function writingLabel( writer: AgentTypingIndicator ): string {
	return writer.mode === 'note'
		? sprintf(
				/* translators: %s: another agent's name. */
				__( '%s is writing a note…', 'chatflows' ),
				writer.agentName
			)
		: sprintf(
				/* translators: %s: another agent's name. */
				__( '%s is replying…', 'chatflows' ),
				writer.agentName
			);
}

/**
 * "Someone else is replying": the other agents writing in this conversation.
 *
 * @param props                Props.
 * @param props.conversationId Conversation.
 */
export function AgentsWriting( {
	conversationId,
}: {
	conversationId: string;
} ) {
	const { writers, myId } = useSelect(
		( select ) => ( {
			writers: select( store ).getAgentsWriting( conversationId ),
			myId: select( store ).getMyId(),
		} ),
		[ conversationId ]
	);
	return (
		<p className="chatflows-inbox__agents-writing" aria-live="polite">
			{ othersWriting( writers, myId ).map( writingLabel ).join( ' ' ) }
		</p>
	);
}

/**
 * The Mentions button of the sidebar, with how many are new.
 */
export function MentionsButton() {
	const { unseen, showing } = useSelect(
		( select ) => ( {
			unseen: select( store ).getUnseenMentionCount(),
			showing: select( store ).isShowingMentions(),
		} ),
		[]
	);
	const { showMentions } = useDispatch( store );
	return (
		<Button
			className="chatflows-inbox__mentions-button"
			variant={ showing ? 'primary' : 'secondary' }
			aria-pressed={ showing }
			onClick={ () => showMentions( ! showing ) }
		>
			{ __( 'Mentions', 'chatflows' ) }
			<span
				className={ `chatflows-inbox__count${ unseen > 0 ? ' is-new' : '' }` }
			>
				{ unseen }
				<span className="screen-reader-text">
					{ ' ' +
						_n(
							'new mention',
							'new mentions',
							unseen,
							'chatflows'
						) }
				</span>
			</span>
		</Button>
	);
}

/**
 * The notes that mention the agent or their teams, newest first; opening
 * the view marks them seen.
 *
 * @param props            Props.
 * @param props.connection The live connection, once open.
 * @param props.onOpen     Called when a mention's conversation is opened.
 */
export function MentionsList( {
	connection,
	onOpen,
}: {
	connection: InboxConnection | null;
	onOpen?: () => void;
} ) {
	const { mentions, conversations, unseen } = useSelect(
		( select ) => ( {
			mentions: select( store ).getMentions(),
			conversations: select( store ).getConversations(),
			unseen: select( store ).getUnseenMentionCount(),
		} ),
		[]
	);
	const { selectConversation, showMentions } = useDispatch( store );

	// Seen once shown (and when more arrive while it is shown).
	useEffect( () => {
		if ( connection && unseen > 0 ) {
			void connection.notes.markMentionsSeen();
		}
	}, [ connection, unseen ] );

	if ( mentions.length === 0 ) {
		return (
			<EmptyState title={ __( 'No mentions yet.', 'chatflows' ) }>
				<p>
					{ __(
						'When another agent mentions you or your team in an internal note, it shows up here.',
						'chatflows'
					) }
				</p>
			</EmptyState>
		);
	}
	return (
		<ul
			className="chatflows-inbox__list chatflows-inbox__mentions"
			aria-label={ __( 'Mentions', 'chatflows' ) }
		>
			{ mentions.map( ( { note, seen } ) => {
				const conversation = conversations.find(
					( each ) => each.id === note.conversationId
				);
				return (
					<li key={ `${ note.conversationId }:${ note.seq }` }>
						<button
							type="button"
							className="chatflows-inbox__item chatflows-inbox__mention-item"
							onClick={ () => {
								selectConversation( note.conversationId );
								showMentions( false );
								onOpen?.();
							} }
						>
							<span className="chatflows-inbox__item-text">
								<strong className="chatflows-inbox__visitor">
									{ sprintf(
										/* translators: 1: agent's name, 2: the visitor's name or e-mail. */
										__(
											'%1$s in the chat with %2$s',
											'chatflows'
										),
										note.authorName,
										conversation
											? visitorLabel( conversation )
											: __( 'a visitor', 'chatflows' )
									) }
								</strong>
								<span className="chatflows-inbox__preview">
									<NoteBody note={ note } />
								</span>
								<span className="chatflows-inbox__meta">
									{ ! seen && __( 'New', 'chatflows' ) }
									{ ! seen && ' · ' }
									{ new Date(
										note.createdAt
									).toLocaleString() }
								</span>
							</span>
						</button>
					</li>
				);
			} ) }
		</ul>
	);
}
