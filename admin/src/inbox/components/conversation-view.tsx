/**
 * One conversation: its messages, live, and the reply box.
 */
import { useSelect } from '@wordpress/data';
import { useEffect, useRef } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { ChatMessage } from '../../../../server/src/contract/events';
import type { InboxConnection } from '../connection';
import { store } from '../store';
import { visitorLabel } from './conversation-list';
import { ReplyForm } from './reply-form';
import { MessageAttachment, hasOwnText } from './attachment';

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

export function ConversationView( {
	conversationId,
	connection,
}: ConversationViewProps ) {
	const { conversation, messages } = useSelect(
		( select ) => ( {
			conversation: select( store ).getConversation( conversationId ),
			messages: select( store ).getMessages( conversationId ),
		} ),
		[ conversationId ]
	);
	const log = useRef< HTMLOListElement >( null );

	useEffect( () => {
		connection.loadMessages( conversationId );
	}, [ connection, conversationId ] );

	useEffect( () => {
		log.current?.scrollTo?.( { top: log.current.scrollHeight } );
	}, [ messages.length ] );

	if ( ! conversation ) {
		return null;
	}
	const visitor = visitorLabel( conversation );

	return (
		<section
			className="chatflows-inbox__conversation"
			aria-label={ visitor }
		>
			<h2>{ visitor }</h2>
			<p className="chatflows-inbox__context">
				{ __( 'Started on:', 'chatflows' ) } { conversation.pageUrl }
			</p>
			<ol
				className="chatflows-inbox__messages"
				ref={ log }
				role="log"
				aria-label={ __( 'Messages', 'chatflows' ) }
			>
				{ messages.map( ( message ) => (
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
					</li>
				) ) }
			</ol>
			<ReplyForm
				onSend={ async ( body ) => {
					const response = await connection.reply(
						conversationId,
						body
					);
					return response.ok ? null : response.error.message;
				} }
			/>
		</section>
	);
}
