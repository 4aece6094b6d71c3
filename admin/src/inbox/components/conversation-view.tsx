/**
 * One conversation: who has it and what to do with it, its messages live,
 * typing and read receipts, and the reply box.
 */
import { Button, Notice } from '@wordpress/components';
import { SelectControl } from '@chatflows/components';
import { useSelect } from '@wordpress/data';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { ChatMessage, ComposeMode } from '@chatflows/protocol';
import type { InboxConnection, TransferTarget } from '../connection';
import { visitorLabel } from '../notifications';
import { store } from '../store';
import { ReplyForm } from './reply-form';
import { MessageAttachment, hasOwnText } from './attachment';
import { Avatar } from './avatar';
import { Skeleton } from './placeholders';
import { NoteForm } from './note-form';
import { AgentsWriting, ComposeSwitch, NoteItem, timelineOf } from './notes';

interface ConversationViewProps {
	conversationId: string;
	connection: InboxConnection;
}

function authorOf( message: ChatMessage, visitor: string ): string {
	if ( message.authorType === 'visitor' ) {
		return visitor;
	}
	return message.authorName || __( 'Team', 'chatflows' );
}

function presenceLabel( status: 'available' | 'away' | 'offline' ): string {
	if ( status === 'available' ) {
		return __( 'available', 'chatflows' );
	}
	return status === 'away'
		? __( 'away', 'chatflows' )
		: __( 'offline', 'chatflows' );
}

/**
 * Parses the transfer choice (`agent:7` or `team:3`).
 *
 * @param choice The select's value.
 * @return The target, or null for none.
 */
function targetOf( choice: string ): TransferTarget | null {
	const separator = choice.indexOf( ':' );
	if ( separator < 1 || separator === choice.length - 1 ) {
		return null;
	}
	const id = choice.slice( separator + 1 );
	return choice.startsWith( 'team:' ) ? { teamId: id } : { agentId: id };
}

/**
 * The conversation pane.
 *
 * @param props                Props.
 * @param props.conversationId Conversation.
 * @param props.connection     The live connection.
 */
export function ConversationView( {
	conversationId,
	connection,
}: ConversationViewProps ) {
	const { conversation, messages, typing, readSeq, directory, agents, myId } =
		useSelect(
			( select ) => ( {
				conversation: select( store ).getConversation( conversationId ),
				messages: select( store ).getMessages( conversationId ),
				typing: select( store ).isVisitorTyping( conversationId ),
				readSeq: select( store ).getVisitorReadSeq( conversationId ),
				directory: select( store ).getDirectory(),
				agents: select( store ).getAgents(),
				myId: select( store ).getMyId(),
			} ),
			[ conversationId ]
		);
	const notes = useSelect(
		( select ) => select( store ).getNotes( conversationId ),
		[ conversationId ]
	);
	const [ mode, setMode ] = useState< ComposeMode >( 'reply' );
	const log = useRef< HTMLDivElement >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ transferTo, setTransferTo ] = useState( '' );

	useEffect( () => {
		setError( null );
		setTransferTo( '' );
		void connection.loadMessages( conversationId );
		void connection.loadContext( conversationId );
		void connection.notes.load( conversationId );
	}, [ connection, conversationId ] );

	useEffect( () => {
		log.current?.scrollTo?.( { top: log.current.scrollHeight } );
	}, [ messages.length, notes.length ] );

	// Closing and reopening move the ticket along: show it as it is now.
	const status = conversation?.status;
	const firstStatus = useRef( status );
	useEffect( () => {
		if ( status !== firstStatus.current ) {
			firstStatus.current = status;
			void connection.loadContext( conversationId );
		}
	}, [ connection, conversationId, status ] );

	// What the agent has on screen is read.
	const newest = messages.length ? messages[ messages.length - 1 ].seq : 0;
	useEffect( () => {
		const markRead = () => {
			if ( newest > 0 && ! document.hidden ) {
				void connection.markRead( conversationId, newest );
			}
		};
		markRead();
		document.addEventListener( 'visibilitychange', markRead );
		return () =>
			document.removeEventListener( 'visibilitychange', markRead );
	}, [ connection, conversationId, newest ] );

	if ( ! conversation ) {
		return (
			<Skeleton
				shape="messages"
				label={ __( 'Loading the conversation…', 'chatflows' ) }
			/>
		);
	}
	const visitor = visitorLabel( conversation );
	const agentName = ( id: string ) =>
		agents.find( ( agent ) => agent.id === id )?.name ?? id;
	const isOpen = conversation.status === 'open';
	const lastAgentSeq = [ ...messages ]
		.reverse()
		.find( ( message ) => message.authorType === 'agent' )?.seq;

	const act = async ( action: () => Promise< string | null > ) => {
		setBusy( true );
		setError( await action() );
		setBusy( false );
	};

	const transferChoices = [
		{ value: '', label: __( 'Choose an agent or team', 'chatflows' ) },
		...agents
			.filter( ( agent ) => agent.id !== conversation.assigneeId )
			.map( ( agent ) => ( {
				value: `agent:${ agent.id }`,
				label: sprintf(
					/* translators: 1: agent's name, 2: available, away or offline. */
					__( '%1$s (%2$s)', 'chatflows' ),
					agent.name,
					presenceLabel( agent.status )
				),
			} ) ),
		...( directory?.teams ?? [] ).map( ( team ) => ( {
			value: `team:${ team.id }`,
			label: sprintf(
				/* translators: %s: team name. */
				__( 'Team: %s', 'chatflows' ),
				team.name
			),
		} ) ),
	];

	return (
		<section
			className="chatflows-inbox__conversation"
			aria-label={ visitor }
		>
			<div className="chatflows-inbox__header">
				<Avatar name={ visitor } size="large" />
				<h2 className="chatflows-inbox__title">{ visitor }</h2>
			</div>
			<p className="chatflows-inbox__assignment">
				{ ! isOpen && __( 'Closed.', 'chatflows' ) + ' ' }
				{ conversation.assigneeId
					? sprintf(
							/* translators: %s: agent's name. */
							__( 'Assigned to %s.', 'chatflows' ),
							conversation.assigneeId === myId
								? __( 'you', 'chatflows' )
								: agentName( conversation.assigneeId )
						)
					: __( 'Nobody has it yet.', 'chatflows' ) }
			</p>
			{ error && (
				<Notice
					status="error"
					isDismissible
					onRemove={ () => setError( null ) }
				>
					{ error }
				</Notice>
			) }
			<div className="chatflows-inbox__actions">
				{ isOpen && conversation.assigneeId !== myId && (
					<Button
						variant="primary"
						disabled={ busy }
						onClick={ () =>
							act( () =>
								connection.assignToMe(
									conversationId,
									conversation.assigneeId ?? null
								)
							)
						}
					>
						{ conversation.assigneeId
							? __( 'Take over', 'chatflows' )
							: __( 'Assign to me', 'chatflows' ) }
					</Button>
				) }
				{ isOpen && (
					<>
						<SelectControl
							label={ __( 'Transfer to', 'chatflows' ) }
							value={ transferTo }
							options={ transferChoices }
							onChange={ setTransferTo }
						/>
						<Button
							variant="secondary"
							disabled={ busy || ! targetOf( transferTo ) }
							onClick={ () => {
								const target = targetOf( transferTo );
								if ( target ) {
									void act( async () => {
										const failure =
											await connection.transfer(
												conversationId,
												target
											);
										if ( ! failure ) {
											setTransferTo( '' );
										}
										return failure;
									} );
								}
							} }
						>
							{ __( 'Transfer', 'chatflows' ) }
						</Button>
						<Button
							variant="secondary"
							isDestructive
							disabled={ busy }
							onClick={ () =>
								act( () => connection.close( conversationId ) )
							}
						>
							{ __( 'Close conversation', 'chatflows' ) }
						</Button>
					</>
				) }
				{ ! isOpen && (
					<Button
						variant="secondary"
						disabled={ busy }
						onClick={ () =>
							act( () => connection.reopen( conversationId ) )
						}
					>
						{ __( 'Reopen conversation', 'chatflows' ) }
					</Button>
				) }
			</div>
			{ messages.length === 0 && (
				<Skeleton
					shape="messages"
					label={ __( 'Loading messages…', 'chatflows' ) }
				/>
			) }
			{ /* The log scrolls; the list inside keeps its list semantics (an <ol> may not be a log). */ }
			<div
				hidden={ messages.length === 0 }
				className="chatflows-inbox__messages"
				ref={ log }
				role="log"
				aria-label={ __( 'Messages', 'chatflows' ) }
			>
				<ol className="chatflows-inbox__message-list">
					{ timelineOf( messages, notes ).map( ( item ) => {
						if ( item.kind === 'note' ) {
							return (
								<NoteItem
									key={ `note-${ item.note.seq }` }
									note={ item.note }
								/>
							);
						}
						const { message } = item;
						return (
							<li
								key={ message.seq }
								className={ `chatflows-inbox__message is-${ message.authorType }` }
							>
								<span className="chatflows-inbox__author">
									{ authorOf( message, visitor ) }
								</span>
								{ message.attachment && (
									<MessageAttachment
										attachment={ message.attachment }
									/>
								) }
								{ hasOwnText( message ) && (
									<span className="chatflows-inbox__body">
										{ message.body }
									</span>
								) }
								{ message.seq === lastAgentSeq &&
									readSeq >= message.seq && (
										<span className="chatflows-inbox__receipt">
											{ __( 'Seen', 'chatflows' ) }
										</span>
									) }
							</li>
						);
					} ) }
				</ol>
			</div>
			<p className="chatflows-inbox__typing" aria-live="polite">
				{ typing
					? sprintf(
							/* translators: %s: the visitor's name. */
							__( '%s is typing…', 'chatflows' ),
							visitor
						)
					: '' }
			</p>
			<AgentsWriting conversationId={ conversationId } />
			<ComposeSwitch mode={ mode } onChange={ setMode } />
			{ mode === 'note' ? (
				<NoteForm
					candidates={ [
						...agents
							.filter( ( agent ) => agent.id !== myId )
							.map( ( agent ) => ( {
								type: 'agent' as const,
								id: agent.id,
								name: agent.name,
							} ) ),
						...( directory?.teams ?? [] ).map( ( team ) => ( {
							type: 'team' as const,
							id: team.id,
							name: team.name,
						} ) ),
					] }
					onTyping={ ( active ) =>
						connection.setTyping( conversationId, active, 'note' )
					}
					onSend={ async ( body, mentions ) => {
						const response = await connection.notes.send(
							conversationId,
							body,
							mentions
						);
						return response.ok ? null : response.error.message;
					} }
				/>
			) : (
				<ReplyForm
					conversationId={ conversationId }
					disabled={ ! isOpen }
					onTyping={ ( active ) =>
						connection.setTyping( conversationId, active )
					}
					onSend={ async ( body ) => {
						const response = await connection.reply(
							conversationId,
							body
						);
						return response.ok ? null : response.error.message;
					} }
				/>
			) }
		</section>
	);
}
